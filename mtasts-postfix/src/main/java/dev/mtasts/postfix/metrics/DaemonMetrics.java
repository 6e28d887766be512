package dev.mtasts.postfix.metrics;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Policy;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.MtaStsListener;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.postfix.AnswerListener;
import dev.mtasts.postfix.SocketmapServerListener;
import dev.mtasts.store.jdbc.FleetHealth;
import dev.mtasts.store.jdbc.FleetListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's meters on a Prometheus registry. Feed it by registering {@link #answers()} with the
 * answerer, {@link #server()} with the socketmap server and {@link #engine()} with the {@code
 * MtaSts}; read it with {@link #scrape()} or serve it with {@link MetricsHttpServer}. Thread-safe;
 * the listeners do a map lookup and an atomic add, nothing more.
 *
 * <p>Names (Prometheus form): {@code mtasts_postfix_queries_total{zone,answer}}, {@code
 * mtasts_postfix_answer_seconds} (histogram, by zone), {@code mtasts_postfix_connections_open},
 * {@code mtasts_postfix_connections_refused_total}, {@code mtasts_postfix_protocol_errors_total{why}},
 * {@code mtasts_cache_lookups_total{result=hit|miss}}, {@code mtasts_cache_policies}, {@code
 * mtasts_fetches_total{outcome=started|succeeded|failed}}, {@code mtasts_fetch_failures_total{reason}},
 * {@code mtasts_stale_fallbacks_total}, {@code mtasts_refresh_failures_total}, {@code
 * mtasts_evictions_total}; with {@code cache: postgres} also {@code mtasts_fleet_database_up} (1 or
 * 0), {@code mtasts_fleet_database_down_total} (outages begun), {@code mtasts_fleet_fetches_shared_total}
 * (policies another daemon fetched), {@code mtasts_fleet_fetches_held_back_total} (fetches skipped for
 * another daemon's failure), {@code mtasts_fleet_pending_policy_writes}, {@code
 * mtasts_fleet_policy_writes_dropped_total}, {@code mtasts_fleet_buffered_rows} and {@code
 * mtasts_fleet_dropped_sessions_total} (FLEET-PF-4).
 */
public final class DaemonMetrics {
    /** The {@code zone} label of requests whose map name has no zone of its own. */
    public static final String DEFAULT_ZONE = "default_zone";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> zones;
    private final Map<String, Counter[]> queries = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> protocolErrors = new ConcurrentHashMap<>();
    private final Counter[] fetchFailures = new Counter[FetchProblem.Reason.values().length];
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Counter refused;
    private final Counter hits;
    private final Counter misses;
    private final Counter fetchStarted;
    private final Counter fetchSucceeded;
    private final Counter fetchFailed;
    private final Counter staleFallbacks;
    private final Counter refreshFailures;
    private final Counter evictions;
    private volatile @Nullable FleetListener fleetListener;
    /** Micrometer holds a function counter's object weakly: these keep the suppliers alive. */
    private final List<Object> gaugeSources = new CopyOnWriteArrayList<>();

    /**
     * Meters for a daemon with the given zone names (other names are counted under {@link
     * #DEFAULT_ZONE}, so a client cannot grow the label set).
     *
     * @param zones the configured zone names
     * @param cachedPolicies how many policies are cached now, read at each scrape
     */
    public DaemonMetrics(Set<String> zones, IntSupplier cachedPolicies) {
        this.zones = Set.copyOf(zones);
        requireNonNull(cachedPolicies, "cachedPolicies");
        Gauge.builder("mtasts.postfix.connections.open", openConnections, AtomicInteger::get)
                .description("Socketmap connections open now")
                .register(registry);
        Gauge.builder("mtasts.cache.policies", cachedPolicies, s -> s.getAsInt())
                .description("Domains with a cached, unexpired policy")
                // Micrometer holds gauge state weakly: the supplier lambda would be collected and
                // the gauge would read NaN.
                .strongReference(true)
                .register(registry);
        refused = counter("mtasts.postfix.connections.refused", "Connections closed at once: too many open");
        hits = Counter.builder("mtasts.cache.lookups")
                .tag("result", "hit")
                .description("Lookups answered from memory (hit) or needing DNS (miss)")
                .register(registry);
        misses = Counter.builder("mtasts.cache.lookups")
                .tag("result", "miss")
                .description("Lookups answered from memory (hit) or needing DNS (miss)")
                .register(registry);
        fetchStarted = fetches("started");
        fetchSucceeded = fetches("succeeded");
        fetchFailed = fetches("failed");
        for (FetchProblem.Reason reason : FetchProblem.Reason.values()) {
            fetchFailures[reason.ordinal()] = Counter.builder("mtasts.fetch.failures")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Failed policy fetches by reason")
                    .register(registry);
        }
        staleFallbacks = counter(
                "mtasts.stale.fallbacks", "Cached policies applied although DNS or HTTPS failed (maybe a downgrade)");
        refreshFailures = counter("mtasts.refresh.failures", "Proactive refreshes that failed");
        evictions = counter("mtasts.evictions", "Cached policies dropped");
        for (String zone : this.zones) {
            zoneMeters(zone);
        }
        zoneMeters(DEFAULT_ZONE);
    }

    /** The listener to give the answerer: queries by zone and answer kind, and latency. */
    public AnswerListener answers() {
        return new AnswerListener() {
            @Override
            public void answered(String zone, AnswerKind kind, long nanos) {
                String label = zones.contains(zone) ? zone : DEFAULT_ZONE;
                Counter[] byKind = queries.get(label);
                Timer timer = latency.get(label);
                if (byKind != null && timer != null) {
                    byKind[kind.ordinal()].increment();
                    timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
                }
            }
        };
    }

    /** The listener to give the socketmap server: connections and protocol errors. */
    public SocketmapServerListener server() {
        return new SocketmapServerListener() {
            @Override
            public void connectionOpened(int open) {
                openConnections.set(open);
            }

            @Override
            public void connectionClosed(int open) {
                openConnections.set(open);
            }

            @Override
            public void connectionRefused() {
                refused.increment();
            }

            @Override
            public void protocolError(String why) {
                protocolErrors
                        .computeIfAbsent(
                                why,
                                w -> Counter.builder("mtasts.postfix.protocol.errors")
                                        .tag("why", w)
                                        .description("Connections closed for breaking the protocol or a limit")
                                        .register(registry))
                        .increment();
            }
        };
    }

    /** The listener to give the {@code MtaSts} builder: cache, fetches, stale fallbacks, refreshes. */
    public MtaStsListener engine() {
        return new MtaStsListener() {
            @Override
            public void cacheHit(String domain) {
                hits.increment();
            }

            @Override
            public void cacheMiss(String domain) {
                misses.increment();
            }

            @Override
            public void fetchStarted(String domain, String id) {
                fetchStarted.increment();
            }

            @Override
            public void fetchSucceeded(String domain, String id, Policy policy) {
                fetchSucceeded.increment();
            }

            @Override
            public void fetchFailed(String domain, String id, FetchProblem failure) {
                fetchFailed.increment();
                fetchFailures[failure.reason().ordinal()].increment();
            }

            @Override
            public void staleFallback(String domain, PolicyProblem cause) {
                staleFallbacks.increment();
            }

            @Override
            public void refreshFailed(String domain, PolicyProblem cause) {
                refreshFailures.increment();
            }

            @Override
            public void evicted(String domain, String why) {
                evictions.increment();
            }
        };
    }

    /**
     * The listener to give the fleet database (FLEET-PF-4): database outages, and fetches shared with
     * or held back by other daemons. The same listener on every call.
     */
    public synchronized FleetListener fleet() {
        FleetListener existing = fleetListener;
        if (existing != null) {
            return existing;
        }
        Counter down = counter(
                "mtasts.fleet.database.down", "Times the fleet database stopped answering (answers came from memory)");
        Counter shared = counter("mtasts.fleet.fetches.shared", "Policies taken from another daemon's fetch");
        Counter heldBack =
                counter("mtasts.fleet.fetches.held.back", "Fetches not made because another daemon's fetch failed");
        FleetListener listener = new FleetListener() {
            @Override
            public void databaseDown(String operation, Throwable cause) {
                down.increment();
            }

            @Override
            public void fetchShared(String domain, String id) {
                shared.increment();
            }

            @Override
            public void fetchHeldBack(String domain, String id) {
                heldBack.increment();
            }
        };
        fleetListener = listener;
        return listener;
    }

    /**
     * Gauges of the fleet store's state, read at each scrape (FLEET-PF-4).
     *
     * @param health the fleet database's health
     * @param droppedPolicyWrites policy writes the store dropped since start
     */
    public void fleetHealth(Supplier<FleetHealth> health, LongSupplier droppedPolicyWrites) {
        requireNonNull(health, "health");
        requireNonNull(droppedPolicyWrites, "droppedPolicyWrites");
        gaugeSources.add(health);
        gaugeSources.add(droppedPolicyWrites);
        Gauge.builder("mtasts.fleet.database.up", health, h -> h.get().up() ? 1 : 0)
                .description("1 while the fleet database answers, 0 while answers come from memory")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mtasts.fleet.pending.policy.writes", health, h -> h.get().pendingPolicyWrites())
                .description("Policy writes waiting for the fleet database")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mtasts.fleet.buffered.rows", health, h -> h.get().bufferedRows())
                .description("TLSRPT count rows waiting to be flushed to the fleet database")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(
                        "mtasts.fleet.dropped.sessions", health, h -> h.get().droppedSessions())
                .description("TLSRPT sessions dropped because the buffer was full while the database was down")
                .register(registry);
        FunctionCounter.builder("mtasts.fleet.policy.writes.dropped", droppedPolicyWrites, s -> s.getAsLong())
                .description("Policy writes dropped: too many waiting while the fleet database was down")
                .register(registry);
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    private void zoneMeters(String zone) {
        Counter[] byKind = new Counter[AnswerListener.AnswerKind.values().length];
        for (AnswerListener.AnswerKind kind : AnswerListener.AnswerKind.values()) {
            byKind[kind.ordinal()] = Counter.builder("mtasts.postfix.queries")
                    .tag("zone", zone)
                    .tag("answer", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Socketmap requests answered, by zone and kind of answer")
                    .register(registry);
        }
        queries.put(zone, byKind);
        latency.put(
                zone,
                Timer.builder("mtasts.postfix.answer")
                        .tag("zone", zone)
                        .description("Time from a request to its answer")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry));
    }

    private Counter fetches(String outcome) {
        return Counter.builder("mtasts.fetches")
                .tag("outcome", outcome)
                .description("Policy fetches started, succeeded and failed")
                .register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }
}
