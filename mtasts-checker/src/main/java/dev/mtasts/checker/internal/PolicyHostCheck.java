package dev.mtasts.checker.internal;

import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.PolicyHostFacts;
import java.util.List;
import java.util.Optional;

/**
 * The policy host checks ({@code sts.host.*}, {@code sts.http.*}, {@code sts.host.consistency}):
 * the policy fetched from every A and AAAA address of {@code mta-sts.<domain>} with the sender's
 * limits, redirects reported and never followed.
 */
public final class PolicyHostCheck {
    private PolicyHostCheck() {}

    /**
     * What the host answered.
     *
     * @param addresses one entry per address
     * @param body the body a sender would use (what the sender's fetcher would accept, from the
     *     address a sender would reach first), or else the first body received, for the content checks
     * @param senderWouldAccept whether the sender's fetcher accepts that answer (status, media type,
     *     size, encoding, TLS, certificate)
     */
    public record Result(List<PolicyHostFacts> addresses, Optional<byte[]> body, boolean senderWouldAccept) {}

    /** Fetches from every address, emitting findings into {@code ctx}. */
    public static Result run(CheckContext ctx) {
        throw new UnsupportedOperationException("not yet");
    }

    /** {@code sts.max_age.cert}: the policy's max_age against the host certificate's remaining life. */
    public static void maxAgeVersusCertificate(CheckContext ctx, Result host, PolicyFacts policy) {
        throw new UnsupportedOperationException("not yet");
    }
}
