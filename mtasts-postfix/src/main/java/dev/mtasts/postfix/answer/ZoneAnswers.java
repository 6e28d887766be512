package dev.mtasts.postfix.answer;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.dane.DaneResult;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.postfix.AnswerListener.AnswerKind;
import dev.mtasts.postfix.ZoneSettings;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The answers of one zone: its settings applied to a {@link DaneResult} (zones with {@code dane}) and
 * a {@link PolicyResult}. A policy's reply is built
 * once and kept, keyed by domain and checked against the {@link Policy} instance, so a cached domain
 * is answered with a stage already complete and nothing new built. Thread-safe.
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
    private final Answer daneOnly = Answer.of(AnswerKind.DANE_ONLY, PostfixReply.DANE_ONLY);
    private final Answer dane = Answer.of(AnswerKind.DANE, PostfixReply.DANE);
    private final Answer dnssecBogus = Answer.of(AnswerKind.TEMP, PostfixReply.TEMP_DNSSEC_BOGUS);
    private final Answer daneLookupFailed = Answer.of(AnswerKind.TEMP, PostfixReply.TEMP_DANE_LOOKUP);
    private final Answer daneTimedOut = Answer.of(AnswerKind.TEMP, PostfixReply.TEMP_DANE_TIMEOUT);
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

    /**
     * When the zone's timeout passed before DANE discovery finished: always {@code TEMP}, whatever
     * {@code temp_on_dns_error} says, as a next hop with TLSA records must not lose DANE to a slow
     * resolver (PF-DANE-7).
     */
    public Answer daneTimedOut() {
        return daneTimedOut;
    }

    /**
     * The DANE answer for what DANE discovery found (PF-DANE-3..6), or empty when DANE does not apply
     * and the MTA-STS answer decides: the MX RRset is not secure, or no MX host has secure TLSA
     * records and none failed. An {@code OK dane} answer is DANE's alone: {@link #answerFor(DaneResult,
     * PolicyResult)} decides with the MTA-STS result.
     */
    public Optional<Answer> answerFor(DaneResult result) {
        if (result instanceof DaneResult.Unavailable unavailable) {
            // RFC 7672 §2.1.1: a bogus or failed MX lookup defers, never "no DANE".
            return Optional.of(failed(unavailable.status()));
        }
        if (!(result instanceof DaneResult.Found found)) {
            return Optional.empty(); // RFC 7672 §2.2.1: MX RRset insecure, DANE does not apply
        }
        int usable = 0;
        int unusable = 0;
        boolean bogus = false;
        boolean anyFailed = false;
        List<MxRecord> mx = found.mx();
        for (MxRecord record : mx) {
            MxDane host = found.forMx(record.exchange());
            if (host instanceof MxDane.Usable) {
                usable++;
            } else if (host instanceof MxDane.Unusable) {
                unusable++;
            } else if (host instanceof MxDane.Failed failed) {
                anyFailed = true;
                bogus |= failed.status() == DnssecStatus.BOGUS;
            }
        }
        if (usable > 0 && usable == mx.size()) {
            return Optional.of(daneOnly); // PF-DANE-4
        }
        if (usable > 0) {
            return Optional.of(dane); // PF-DANE-5: Postfix decides per MX host
        }
        if (anyFailed) {
            // PF-DANE-6: a host whose TLSA lookup failed may have TLSA records; with no usable host
            // left, the next hop's security cannot be known.
            return Optional.of(failed(bogus ? DnssecStatus.BOGUS : DnssecStatus.INDETERMINATE));
        }
        if (unusable > 0) {
            return Optional.of(dane); // PF-DANE-5: RFC 7672 §2.2, TLSA present but unusable: TLS required
        }
        return Optional.empty(); // PF-DANE-8: no secure TLSA anywhere
    }

    /**
     * The zone's answer when DANE discovery found {@code dane} and the MTA-STS lookup {@code sts}: the
     * DANE answer when DANE applies, the MTA-STS answer otherwise, except that an {@code OK dane}
     * answer never drops an enforced MTA-STS policy (PF-DANE-10, PF-DANE-11, PF-DANE-12). Only an
     * {@code OK dane} DANE answer (see {@link #needsPolicy}) needs {@code sts}: callers may skip the
     * MTA-STS lookup for the others.
     */
    public Answer answerFor(DaneResult dane, PolicyResult sts) {
        Optional<Answer> daneAnswer = answerFor(dane);
        if (daneAnswer.isEmpty()) {
            return answerFor(sts);
        }
        if (!needsPolicy(daneAnswer.get())) {
            return daneAnswer.get();
        }
        if (sts instanceof PolicyResult.Unavailable) {
            // PF-DANE-12: the policy may be enforced; defer as MTA-STS alone would, unless the
            // operator chose delivery without MTA-STS when its lookup fails.
            Answer unavailable = answerFor(sts);
            return unavailable.kind() == AnswerKind.TEMP ? unavailable : this.dane;
        }
        if (!(sts instanceof PolicyResult.PolicyFound found) || found.policy().mode() != Mode.ENFORCE) {
            return this.dane; // PF-DANE-5: no enforced policy to lose
        }
        // Postfix's opportunistic DANE gives hosts without TLSA "may" and hosts with only unusable TLSA
        // unauthenticated TLS: both weaker than the enforced policy, which RFC 8461 §2 leaves in
        // force where DANE does not authenticate.
        if (dane instanceof DaneResult.Found daneFound && usableHosts(daneFound) > 0) {
            return daneOnly; // PF-DANE-10: DANE first, and the hosts it cannot authenticate are not used
        }
        return answerFor(found); // PF-DANE-11: validated TLS beats unauthenticated TLS
    }

    /**
     * Whether {@code daneAnswer} leaves some MX hosts to Postfix's opportunistic levels ({@code OK
     * dane}), so the domain's MTA-STS result is needed to answer (PF-DANE-5).
     */
    public boolean needsPolicy(Answer daneAnswer) {
        return daneAnswer == dane;
    }

    /**
     * When the zone's timeout passed while looking up the MTA-STS policy of a next hop whose DANE
     * answer is {@code OK dane}: {@code TEMP} as for any MTA-STS timeout when {@code
     * temp_on_dns_error}, else {@code OK dane}, never {@code NOTFOUND}, which would lose DANE too
     * (PF-DANE-12).
     */
    public Answer timedOutBesideDane() {
        return timedOut.kind() == AnswerKind.TEMP ? timedOut : dane;
    }

    private static int usableHosts(DaneResult.Found found) {
        int usable = 0;
        for (MxRecord record : found.mx()) {
            if (found.forMx(record.exchange()) instanceof MxDane.Usable) {
                usable++;
            }
        }
        return usable;
    }

    private Answer failed(DnssecStatus status) {
        return status == DnssecStatus.BOGUS ? dnssecBogus : daneLookupFailed;
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
