package dev.mtasts.postfix.answer;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.postfix.AnswerListener.AnswerKind;
import dev.mtasts.postfix.ZoneSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The answers of one zone: its settings applied to a {@link PolicyResult}. A policy's reply is built
 * once and kept, keyed by domain and checked against the {@link Policy} instance, so a cached domain
 * is answered with a stage already complete and nothing new built.
 */
public final class ZoneAnswers {
    private final String name;
    private final ZoneSettings settings;
    private final Answer notFoundKey = Answer.of(AnswerKind.NOTFOUND_KEY, PostfixReply.NOTFOUND);
    private final Answer notFoundNone = Answer.of(AnswerKind.NOTFOUND_NONE, PostfixReply.NOTFOUND);
    private final Answer notFoundTesting = Answer.of(AnswerKind.NOTFOUND_TESTING, PostfixReply.NOTFOUND);
    private final Answer notFoundNoPolicy = Answer.of(AnswerKind.NOTFOUND_NO_POLICY, PostfixReply.NOTFOUND);
    private final Answer dnsUnavailable;
    private final Answer lookupFailed;
    private final Answer timedOut;
    private final Cache<String, Memo> replies;

    /** One reply and its class, with the completed stage handed out for it. */
    public record Answer(AnswerKind kind, String reply, CompletionStage<String> stage) {
        /** Checks for null. */
        public Answer {
            requireNonNull(kind, "kind");
            requireNonNull(reply, "reply");
            requireNonNull(stage, "stage");
        }

        static Answer of(AnswerKind kind, String reply) {
            return new Answer(kind, reply, CompletableFuture.completedStage(reply));
        }
    }

    /** The reply built for one domain's policy instance. */
    private record Memo(Policy policy, Answer answer) {}

    /**
     * The answers of zone {@code name}.
     *
     * @param replyCacheSize how many domains' built replies are kept
     */
    public ZoneAnswers(String name, ZoneSettings settings, long replyCacheSize) {
        this.name = requireNonNull(name, "name");
        this.settings = requireNonNull(settings, "settings");
        // PF-BETTER-1: TEMP defers the mail; false gives postfix-mta-sts-resolver's NOTFOUND.
        boolean temp = settings.tempOnDnsError();
        this.dnsUnavailable = temp ? Answer.of(AnswerKind.TEMP, PostfixReply.TEMP_DNS) : notFoundNoPolicy;
        this.lookupFailed = temp ? Answer.of(AnswerKind.TEMP, PostfixReply.TEMP_LOOKUP) : notFoundNoPolicy;
        this.timedOut = temp ? Answer.of(AnswerKind.TEMP, PostfixReply.TEMP_TIMEOUT) : notFoundNoPolicy;
        this.replies = Caffeine.newBuilder().maximumSize(replyCacheSize).build();
    }

    /** The zone's name, as given to the listener. */
    public String name() {
        return name;
    }

    /** The zone's settings. */
    public ZoneSettings settings() {
        return settings;
    }

    /** For a key that never has a policy (PF-KEY-3). */
    public Answer notFoundKey() {
        return notFoundKey;
    }

    /** When the zone's timeout passed first. */
    public Answer timedOut() {
        return timedOut;
    }

    /** The answer for what the resolver found. */
    public Answer answerFor(PolicyResult result) {
        if (result instanceof PolicyResult.PolicyFound found) {
            return answerFor(found);
        }
        if (result instanceof PolicyResult.Unavailable unavailable) {
            // RFC 8461 §10.2: DNS that fails with nothing cached is never "no policy".
            return unavailable.problem() instanceof PolicyProblem.DnsTemporary ? dnsUnavailable : lookupFailed;
        }
        // No TXT record, or the fetch failed or was invalid: deliver as without MTA-STS (RFC 8461 §3.3).
        return notFoundNoPolicy;
    }

    private Answer answerFor(PolicyResult.PolicyFound found) {
        Mode mode = found.policy().mode();
        if (mode == Mode.NONE) {
            return notFoundNone; // PF-POL-2
        }
        if (mode == Mode.TESTING && !settings.strictTesting()) {
            return notFoundTesting; // PF-POL-2
        }
        Memo memo = replies.getIfPresent(found.domain());
        if (memo != null && memo.policy() == found.policy()) {
            return memo.answer();
        }
        String reply = PostfixReply.secure(found.domain(), found.policy(), settings.requireSni(), settings.tlsrpt());
        Answer answer = Answer.of(reply.startsWith("OK ") ? AnswerKind.SECURE : AnswerKind.TEMP, reply);
        replies.put(found.domain(), new Memo(found.policy(), answer));
        return answer;
    }
}
