package dev.mtasts.postfix;

import dev.mtasts.core.resolve.MtaSts;
import java.util.concurrent.CompletionStage;

/**
 * Answers Postfix {@code smtp_tls_policy_maps} socketmap requests from an {@link MtaSts}: key
 * normalisation (PF-KEY-*), {@code OK secure match=...} replies and the Postfix 3.10 TLSRPT
 * attributes (PF-POL-*), per-zone settings selected by the map name.
 *
 * <p>STUB: the API the other parts compile against; the implementation replaces the bodies.
 */
public final class PostfixPolicyAnswerer implements SocketmapHandler {

    private PostfixPolicyAnswerer() {}

    /** A builder answering from {@code mtaSts}. */
    public static Builder builder(MtaSts mtaSts) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public CompletionStage<String> answer(String name, String key) {
        throw new UnsupportedOperationException("stub");
    }

    /** Options of a {@link PostfixPolicyAnswerer}. */
    public static final class Builder {
        private Builder() {}

        /** The settings of requests whose map name has no zone of its own (default {@link ZoneSettings#defaults()}). */
        public Builder defaultZone(ZoneSettings settings) {
            throw new UnsupportedOperationException("stub");
        }

        /** The settings of requests with map name {@code name}. */
        public Builder zone(String name, ZoneSettings settings) {
            throw new UnsupportedOperationException("stub");
        }

        /** Told of every answer, for metrics. */
        public Builder listener(AnswerListener listener) {
            throw new UnsupportedOperationException("stub");
        }

        /** The answerer. */
        public PostfixPolicyAnswerer build() {
            throw new UnsupportedOperationException("stub");
        }
    }
}
