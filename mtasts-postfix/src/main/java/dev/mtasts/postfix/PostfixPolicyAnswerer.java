package dev.mtasts.postfix;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dane.DaneLookup;
import dev.mtasts.core.dane.DaneResult;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.core.time.Ticker;
import dev.mtasts.postfix.answer.PolicyKey;
import dev.mtasts.postfix.answer.ZoneAnswers;
import dev.mtasts.postfix.answer.ZoneAnswers.Answer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers Postfix {@code smtp_tls_policy_maps} socketmap requests from an {@link MtaSts}: key
 * normalisation (PF-KEY-*), {@code OK secure match=...} replies and the Postfix 3.10 TLSRPT
 * attributes (PF-POL-*), per-zone settings selected by the map name (PF-NET-3). Zones with {@code
 * dane} ask a {@link DaneLookup} first and answer {@code OK dane-only}, {@code OK dane} or {@code
 * TEMP} when DANE applies to the next hop, the MTA-STS answer otherwise (PF-DANE-3); where {@code OK
 * dane} would leave hosts to opportunistic TLS, an enforced MTA-STS policy strengthens it
 * (PF-DANE-10, PF-DANE-11).
 *
 * <p>Never blocks: a cached domain is answered with a stage already complete, its reply built once per
 * policy and zone; otherwise the stage completes when the lookup does, or when the zone's timeout
 * passes, whichever is first (the lookup then goes on and fills the cache). Thread-safe.
 */
public final class PostfixPolicyAnswerer implements SocketmapHandler {
    /** The zone name given to the {@link AnswerListener} for requests answered by the default zone. */
    public static final String DEFAULT_ZONE = "default";

    private static final Logger LOG = LoggerFactory.getLogger(PostfixPolicyAnswerer.class);

    private final MtaSts mtaSts;
    private final ZoneAnswers defaultZone;
    private final Map<String, ZoneAnswers> zones;
    private final AnswerListener listener;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final @Nullable DaneLookup dane;

    private PostfixPolicyAnswerer(Builder b) {
        this.mtaSts = b.mtaSts;
        this.defaultZone = new ZoneAnswers(DEFAULT_ZONE, b.defaultZone, b.replyCacheSize);
        Map<String, ZoneAnswers> built = new HashMap<>();
        b.zones.forEach((name, settings) -> built.put(name, new ZoneAnswers(name, settings, b.replyCacheSize)));
        this.zones = Map.copyOf(built);
        this.listener = b.listener;
        this.ticker = b.ticker;
        Scheduler scheduler = b.scheduler;
        this.scheduler = scheduler != null ? scheduler : DefaultScheduler.INSTANCE;
        this.dane = b.dane;
    }

    /** A builder answering from {@code mtaSts}. */
    public static Builder builder(MtaSts mtaSts) {
        return new Builder(requireNonNull(mtaSts, "mtaSts"));
    }

    @Override
    public CompletionStage<String> answer(String name, String key) {
        long start = ticker.read();
        ZoneAnswers zone = zones.getOrDefault(name, defaultZone); // PF-NET-3: unknown name, default zone
        try {
            String domain = PolicyKey.domainOf(key);
            if (domain == null) {
                return answered(zone, zone.notFoundKey(), start); // PF-KEY-3: no DNS, no HTTPS
            }
            DaneLookup dane = this.dane;
            if (dane != null && zone.settings().dane()) {
                return daneFirst(zone, dane, domain, start);
            }
            return sts(zone, domain, start);
        } catch (RuntimeException e) {
            // A bug, never "no policy": the server answers a failed stage with TEMP.
            LOG.error("answering {} {} failed", name, key, e);
            tellTemp(zone, start);
            return CompletableFuture.failedStage(e);
        }
    }

    /** The MTA-STS answer. */
    private CompletionStage<String> sts(ZoneAnswers zone, String domain, long start) {
        CompletableFuture<PolicyResult> lookup = mtaSts.policyForAsync(domain).toCompletableFuture();
        if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
            // A cached policy: answered on the caller's thread, from the zone's built replies.
            return answered(zone, zone.answerFor(lookup.join()), start);
        }
        return awaited(zone, lookup, zone::answerFor, zone::timedOut, start);
    }

    /**
     * PF-DANE-3: the DANE answer when DANE applies to the next hop, else the MTA-STS answer; an {@code
     * OK dane} answer also asks MTA-STS, so that it never drops an enforced policy (PF-DANE-10..12).
     * The lookups share the zone's timeout; a cached DANE state and a cached policy are answered on
     * the caller's thread.
     */
    private CompletionStage<String> daneFirst(ZoneAnswers zone, DaneLookup dane, String domain, long start) {
        CompletableFuture<DaneResult> lookup = dane.lookupAsync(domain).toCompletableFuture();
        if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
            DaneResult result = lookup.join();
            Optional<Answer> answer = zone.answerFor(result);
            if (answer.isEmpty()) {
                return sts(zone, domain, start);
            }
            if (!zone.needsPolicy(answer.get())) {
                return answered(zone, answer.get(), start);
            }
            CompletableFuture<PolicyResult> policy =
                    mtaSts.policyForAsync(domain).toCompletableFuture();
            if (policy.isDone() && !policy.isCompletedExceptionally()) {
                return answered(zone, zone.answerFor(result, policy.join()), start);
            }
            return awaited(zone, policy, p -> zone.answerFor(result, p), zone::timedOutBesideDane, start);
        }
        // Until DANE discovery is done a timeout is TEMP (PF-DANE-7); after it, the timeout of the
        // MTA-STS lookup that follows.
        AtomicReference<Answer> onTimeout = new AtomicReference<>(zone.daneTimedOut());
        CompletableFuture<Answer> answer = lookup.thenCompose(result -> {
            Optional<Answer> daneAnswer = zone.answerFor(result);
            if (daneAnswer.isPresent() && !zone.needsPolicy(daneAnswer.get())) {
                return CompletableFuture.completedFuture(daneAnswer.get());
            }
            onTimeout.set(daneAnswer.isPresent() ? zone.timedOutBesideDane() : zone.timedOut());
            return mtaSts.policyForAsync(domain)
                    .toCompletableFuture()
                    .thenApply(policy -> zone.answerFor(result, policy));
        });
        return awaited(zone, answer, Function.identity(), onTimeout::get, start);
    }

    private CompletionStage<String> answered(ZoneAnswers zone, Answer answer, long start) {
        tell(zone, answer, start);
        return answer.stage();
    }

    private <T> CompletionStage<String> awaited(
            ZoneAnswers zone,
            CompletableFuture<T> lookup,
            Function<T, Answer> toAnswer,
            Supplier<Answer> onTimeout,
            long start) {
        CompletableFuture<String> out = new CompletableFuture<>();
        // Whoever claims first answers, the lookup or the timer: the listener hears of exactly one
        // answer, before the caller sees it.
        AtomicBoolean claimed = new AtomicBoolean();
        Duration timeout = zone.settings().timeout();
        // The lookup is not cancelled on timeout: it goes on and caches its result for the next request.
        Scheduler.Cancellable timer = scheduler.schedule(timeout, () -> {
            if (claimed.compareAndSet(false, true)) {
                Answer timedOut = onTimeout.get();
                tell(zone, timedOut, start);
                out.complete(timedOut.reply());
            }
        });
        lookup.whenComplete((result, error) -> {
            timer.cancel();
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            Answer answer;
            try {
                if (error != null) {
                    throw new IllegalStateException("policy lookup failed", error);
                }
                answer = toAnswer.apply(result);
            } catch (RuntimeException e) {
                // A bug, never "no policy": the server answers a failed stage with TEMP.
                LOG.error("answering for a looked-up domain failed", e);
                tellTemp(zone, start);
                out.completeExceptionally(e);
                return;
            }
            tell(zone, answer, start);
            out.complete(answer.reply());
        });
        return out.minimalCompletionStage();
    }

    private void tell(ZoneAnswers zone, Answer answer, long start) {
        tell(zone, answer.kind(), start);
    }

    /** A failed stage: the server answers {@code TEMP internal error}. */
    private void tellTemp(ZoneAnswers zone, long start) {
        tell(zone, AnswerListener.AnswerKind.TEMP, start);
    }

    private void tell(ZoneAnswers zone, AnswerListener.AnswerKind kind, long start) {
        try {
            listener.answered(zone.name(), kind, ticker.read() - start);
        } catch (RuntimeException e) {
            LOG.warn("answer listener failed", e);
        }
    }

    /** The timer of requests that wait, when the builder was given none: one daemon thread. */
    private static final class DefaultScheduler {
        static final Scheduler INSTANCE = create();

        private static Scheduler create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "mtasts-postfix-timeouts");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true); // most timers are cancelled: don't keep them queued
            return Scheduler.of(executor);
        }
    }

    /** Options of a {@link PostfixPolicyAnswerer}. Not thread-safe; the answerer built is. */
    public static final class Builder {
        private final MtaSts mtaSts;
        private ZoneSettings defaultZone = ZoneSettings.defaults();
        private final Map<String, ZoneSettings> zones = new HashMap<>();
        private AnswerListener listener = new AnswerListener() {};
        private Ticker ticker = Ticker.systemTicker();

        private @Nullable Scheduler scheduler;

        private long replyCacheSize = 100_000;

        private @Nullable DaneLookup dane;

        private Builder(MtaSts mtaSts) {
            this.mtaSts = mtaSts;
        }

        /** The settings of requests whose map name has no zone of its own (default {@link ZoneSettings#defaults()}). */
        public Builder defaultZone(ZoneSettings settings) {
            this.defaultZone = requireNonNull(settings, "settings");
            return this;
        }

        /** The settings of requests with map name {@code name}. */
        public Builder zone(String name, ZoneSettings settings) {
            zones.put(requireNonNull(name, "name"), requireNonNull(settings, "settings"));
            return this;
        }

        /** Told of every answer, for metrics. */
        public Builder listener(AnswerListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /** The time source of {@link AnswerListener} durations (default {@link Ticker#systemTicker()}). */
        public Builder ticker(Ticker ticker) {
            this.ticker = requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Where the zones' timeouts run (default: one shared daemon thread). A Netty event loop group
         * given through {@link Scheduler#of} serves well.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How many domains' built {@code OK secure} replies each zone keeps (default 100,000). */
        public Builder replyCacheSize(long size) {
            if (size < 1) {
                throw new IllegalArgumentException("replyCacheSize must be positive but was " + size);
            }
            this.replyCacheSize = size;
            return this;
        }

        /** The DANE lookup of zones with {@code dane} (required when any zone has it). */
        public Builder dane(DaneLookup dane) {
            this.dane = requireNonNull(dane, "dane");
            return this;
        }

        /**
         * The answerer.
         *
         * @throws IllegalStateException when a zone has {@code dane} but no {@link #dane} lookup was
         *     given: such a zone would silently answer without DANE
         */
        public PostfixPolicyAnswerer build() {
            if (dane == null && (defaultZone.dane() || zones.values().stream().anyMatch(ZoneSettings::dane))) {
                throw new IllegalStateException("a zone has dane: true but no DaneLookup was given");
            }
            return new PostfixPolicyAnswerer(this);
        }
    }
}
