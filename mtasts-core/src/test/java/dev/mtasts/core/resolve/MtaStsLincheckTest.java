package dev.mtasts.core.resolve;

import dev.mtasts.core.Policy;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.core.testing.MutableClock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck stress test of the resolver's single flight (STS-CACHE-10) under concurrent {@code
 * policyFor} and {@code refresh} of one domain. Every fetch serves a new policy version (its max_age
 * is 86400 + version), so each result says which fetch it came from.
 *
 * <p>Each operation returns whether its result obeys the rule the sequential model states for it;
 * the model ({@link Model}) answers {@code true} to every operation, so any {@code false} is a
 * non-linearizable history. A refresh must see a fetch started after it was called (RFC 8461 §5.1
 * step 3, STS-CACHE-9: never the answer of a lookup already running); a lookup must never see an
 * older policy than one already returned to someone. After each run, {@link SingleFlight#oneFetchPerFlight}
 * checks that every fetch's version reached a caller: no flight fetched twice or for nobody.
 *
 * <p>Stress mode, not model checking: the lookup runs through Caffeine and {@code
 * CompletableFuture} chains completed on a fetch thread, which the model checker would have to
 * instrument end to end.
 */
final class MtaStsLincheckTest {
    private static final String DOMAIN = "example.com";
    private static final ExecutorService FETCH_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lincheck-fetch");
        t.setDaemon(true);
        return t;
    });

    /** The state under test: a fresh engine per Lincheck invocation (public for Lincheck). */
    public static final class SingleFlight {
        private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        private final VersionedFetcher fetcher = new VersionedFetcher();
        private final MtaSts sts = MtaSts.builder()
                .dns(new FakeDns().txt("_mta-sts." + DOMAIN, "v=STSv1; id=1"))
                .fetcher(fetcher)
                .clock(clock)
                .txtCheckInterval(Duration.ZERO) // every plain lookup asks DNS: more flights to share
                .build();
        private final Set<Integer> returned = ConcurrentHashMap.newKeySet();
        private final AtomicInteger newestReturned = new AtomicInteger();

        /** Fetches complete on another thread, so lookups overlap for longer. */
        private static final class VersionedFetcher implements PolicyFetcher {
            private final AtomicInteger started = new AtomicInteger();

            int started() {
                return started.get();
            }

            @Override
            public CompletionStage<FetchResult> fetch(String policyDomain) {
                int version = started.incrementAndGet();
                return CompletableFuture.supplyAsync(
                        () -> new FetchResult.Fetched(Policy.parse("version: STSv1\nmode: enforce\nmx: mx.example.com\n"
                                + "max_age: " + (86400 + version) + "\n")),
                        FETCH_THREADS);
            }
        }

        private static int version(PolicyResult result) {
            return result instanceof PolicyResult.PolicyFound found
                    ? (int) (found.policy().maxAge().toSeconds() - 86400)
                    : -1;
        }

        private int record(PolicyResult result) {
            int version = version(result);
            returned.add(version);
            newestReturned.accumulateAndGet(version, Math::max);
            return version;
        }

        /** Never older than a policy already returned when called. */
        @Operation
        public boolean policyFor() {
            int known = newestReturned.get();
            return record(sts.policyFor(DOMAIN)) >= Math.max(known, 1);
        }

        /** A fetch started after the call (STS-CACHE-9). */
        @Operation
        public boolean refresh() {
            int startedBefore = fetcher.started();
            return record(sts.refresh(DOMAIN)) > startedBefore;
        }

        /** As {@link #policyFor}, through the non-blocking entry point. */
        @Operation
        public boolean policyForAsync() {
            int known = newestReturned.get();
            return record(sts.policyForAsync(DOMAIN).toCompletableFuture().join()) >= Math.max(known, 1);
        }

        /** As {@link #refresh}, through the non-blocking entry point. */
        @Operation
        public boolean refreshAsync() {
            int startedBefore = fetcher.started();
            return record(sts.refreshAsync(DOMAIN).toCompletableFuture().join()) > startedBefore;
        }

        /** One fetch per flight: every version fetched was the answer of some caller (STS-CACHE-10). */
        @Validate
        public void oneFetchPerFlight() {
            for (int version = 1; version <= fetcher.started(); version++) {
                if (!returned.contains(version)) {
                    throw new AssertionError(
                            "fetch " + version + " of " + fetcher.started() + " reached no caller: " + returned);
                }
            }
        }
    }

    /** The sequential model: run one at a time, every operation keeps its rule. */
    public static final class Model {
        public boolean policyFor() {
            return true;
        }

        public boolean refresh() {
            return true;
        }

        public boolean policyForAsync() {
            return true;
        }

        public boolean refreshAsync() {
            return true;
        }
    }

    @Test
    void singleFlight_linearizableUnderStress() {
        StressOptions options = new StressOptions()
                .iterations(30)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(Model.class);
        LinChecker.check(SingleFlight.class, options);
    }
}
