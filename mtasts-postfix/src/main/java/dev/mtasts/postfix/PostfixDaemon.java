package dev.mtasts.postfix;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.dane.DaneLookup;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.postfix.config.CacheConfig;
import dev.mtasts.postfix.config.DaemonConfig;
import dev.mtasts.postfix.config.Endpoint;
import dev.mtasts.postfix.config.MetricsConfig;
import dev.mtasts.postfix.config.ProactiveFetching;
import dev.mtasts.postfix.metrics.DaemonMetrics;
import dev.mtasts.postfix.metrics.MetricsHttpServer;
import dev.mtasts.store.jdbc.FleetHealth;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole daemon from a {@link DaemonConfig}: an {@link MtaSts} with the configured cache, a
 * {@link PostfixPolicyAnswerer} with the configured zones, a {@link SocketmapServer}, and metrics.
 *
 * <p>How the configuration maps (PF-CONF-*): {@code cache_grace} is the engine's TXT re-check
 * interval; {@code cache: internal} is the in-memory store bounded by {@code cache_size}, {@code
 * cache: sqlite} the durable file store in {@code <filename>.d}; with {@code
 * proactive_policy_fetching} enabled, the engine's maintenance runs every {@link
 * ProactiveFetching#checkEvery()} and re-fetches policies older than {@link
 * ProactiveFetching#refreshAfter()}; {@code concurrency_limit} caps the HTTPS fetches running at
 * once, proactive or not. With a zone whose {@code dane} is true, a {@link DaneLookup} over dnsjava's
 * validating resolver answers that zone first (PF-DANE-2, PF-DANE-3).
 *
 * <p>{@code cache: postgres} opens a HikariCP pool on the configured DSN, a {@link
 * dev.mtasts.store.jdbc.FleetDatabase} and a {@link dev.mtasts.store.jdbc.JdbcPolicyStore}: daemons
 * on one database share their policies and fetches (FLEET-PF-1), and a database that is down or slow
 * never holds up an answer longer than {@code operation_timeout} (FLEET-PF-2). The engine keeps its
 * own copy of every policy in memory, so hot lookups never touch the database.
 */
public final class PostfixDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostfixDaemon.class);

    private final DaemonConfig config;
    private final PolicyStore store;
    private final @Nullable FleetConnection fleet;
    private final MtaSts mtaSts;
    private final @Nullable ScheduledExecutorService maintenance;
    private final DaemonMetrics metrics;
    private final SocketmapServer server;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable MetricsHttpServer metricsHttp;

    private PostfixDaemon(Builder b) {
        this.config = b.config;
        DnsResolver dns = b.dns != null
                ? b.dns
                : config.dnsServer().map(DnsResolver::dnsjava).orElseGet(DnsResolver::system);
        ProactiveFetching proactive = config.proactiveFetching();
        PolicyFetcher fetcher = b.fetcher != null
                ? b.fetcher
                : PolicyFetcher.https()
                        .dns(dns)
                        .maxConcurrentFetches(proactive.concurrencyLimit())
                        .build();
        this.metrics = new DaemonMetrics(config.zones().keySet(), () -> mtaStsSize());
        if (config.cache() instanceof CacheConfig.Postgres postgres) {
            FleetConnection connection = FleetConnection.open(postgres, metrics.fleet());
            this.fleet = connection;
            this.store = connection.store();
            metrics.fleetHealth(connection.database()::health, connection.store()::droppedWrites);
        } else {
            this.fleet = null;
            this.store = openStore(config.cache());
        }
        MtaSts engine = null;
        ScheduledExecutorService executor = null;
        try {
            MtaSts.Builder mb = MtaSts.builder()
                    .dns(dns)
                    .fetcher(fetcher)
                    .store(store)
                    // cache_grace: postfix-mta-sts-resolver's "no TXT re-check within" (STS-CACHE-3).
                    .txtCheckInterval(config.cacheGrace())
                    // PF-BETTER-5: "no policy" (no TXT record, or a policy host in its back-off) is
                    // remembered as long, so such answers come from memory, not a DNS query each.
                    .negativeCacheTtl(config.cacheGrace())
                    .listener(new EngineLog(metrics.engine()));
            if (config.cache() instanceof CacheConfig.Internal internal) {
                mb.maximumSize(internal.cacheSize());
            }
            if (proactive.enabled()) {
                executor = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "mtasts-maintenance");
                    t.setDaemon(true);
                    return t;
                });
                mb.refreshInterval(proactive.refreshAfter())
                        .maintenance(Scheduler.of(executor), proactive.checkEvery());
            }
            engine = mb.build();
            PostfixPolicyAnswerer.Builder answers = PostfixPolicyAnswerer.builder(engine)
                    .defaultZone(config.defaultZone())
                    .listener(metrics.answers());
            if (config.usesDane()) {
                // PF-DANE-2: only a daemon with a DANE zone asks for DNSSEC records at all.
                answers.dane(DaneLookup.builder()
                        .resolver(b.secureDns != null ? b.secureDns : secureDns(config))
                        .build());
            }
            config.zones().forEach(answers::zone);
            SocketmapServer.Builder sb = SocketmapServer.builder(answers.build())
                    .ioThreads(b.ioThreads)
                    .reusePort(config.reusePort())
                    .shutdownTimeout(config.shutdownTimeout())
                    .listener(metrics.server());
            if (config.endpoint() instanceof Endpoint.Unix unix) {
                // Without mode, any local user may ask: answers are public policy data, and Postfix's
                // smtp(8) runs as its own user.
                sb.unix(unix.path(), unix.mode().orElse(PosixFilePermissions.fromString("rw-rw-rw-")));
            } else {
                Endpoint.Inet inet = (Endpoint.Inet) config.endpoint();
                sb.inet(inet.host(), inet.port());
            }
            this.server = sb.build();
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            if (executor != null) {
                executor.shutdownNow();
            }
            store.close();
            closeFleet();
            throw e;
        }
        this.mtaSts = engine;
        this.maintenance = executor;
    }

    /** A builder for the daemon {@code config} describes. */
    public static Builder builder(DaemonConfig config) {
        return new Builder(config);
    }

    /**
     * Starts the server (and the metrics endpoint, if configured).
     *
     * @throws IOException when an address cannot be bound
     */
    public PostfixDaemon start() throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("closed");
        }
        server.start();
        MetricsConfig mc = config.metrics().orElse(null);
        if (mc != null) {
            try {
                metricsHttp = MetricsHttpServer.start(metrics, mc.host(), mc.port());
            } catch (IOException | RuntimeException e) {
                close(); // releases the store's lock too, so the caller may retry with another port
                throw new IOException(
                        "cannot serve metrics on " + mc.host() + ":" + mc.port() + ": " + e.getMessage(), e);
            }
        }
        OptionalInt mport = metricsPort();
        String metricsAt = mc != null && mport.isPresent() ? mc.host() + ":" + mport.getAsInt() : "off";
        LOG.atInfo()
                .setMessage("mtasts daemon started")
                .addKeyValue("listen", server.localAddress())
                .addKeyValue("transport", Epoll.isAvailable() ? "epoll" : "nio")
                .addKeyValue("cache", describe(config.cache()))
                .addKeyValue("zones", zoneNames())
                .addKeyValue("dane", daneZones())
                .addKeyValue("proactive", config.proactiveFetching().enabled())
                .addKeyValue("metrics", metricsAt)
                .addKeyValue("config", config.source())
                .log();
        return this;
    }

    /** The socketmap server's bound TCP port. */
    public int port() {
        return server.port();
    }

    /** The metrics endpoint's bound port, if it has one. */
    public OptionalInt metricsPort() {
        MetricsHttpServer http = metricsHttp;
        return http == null ? OptionalInt.empty() : OptionalInt.of(http.port());
    }

    /** The engine answering, for tests and tools. */
    public MtaSts mtaSts() {
        return mtaSts;
    }

    /** The fleet store's state on this daemon, with {@code cache: postgres}. */
    public Optional<FleetHealth> fleetHealth() {
        FleetConnection connection = fleet;
        return connection == null
                ? Optional.empty()
                : Optional.of(connection.database().health());
    }

    /** The daemon's meters, for tests and embedders. */
    public DaemonMetrics metrics() {
        return metrics;
    }

    /**
     * Stops gracefully: first the server (answers in-flight requests within {@code
     * shutdown_timeout}), then the engine and its store, then the fleet database and its pool (with
     * {@code cache: postgres}), then the metrics endpoint, so the last scrape still sees the last
     * answers.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.atInfo()
                .setMessage("mtasts daemon stopping")
                .addKeyValue("timeout", config.shutdownTimeout())
                .log();
        try {
            server.close();
        } finally {
            mtaSts.close();
            ScheduledExecutorService executor = maintenance;
            if (executor != null) {
                executor.shutdownNow();
            }
            store.close();
            closeFleet();
            MetricsHttpServer http = metricsHttp;
            if (http != null) {
                http.close();
            }
            LOG.atInfo().setMessage("mtasts daemon stopped").log();
        }
    }

    /** The fleet database's guard, then its pool: after the engine and the store (FLEET-PF-2). */
    private void closeFleet() {
        FleetConnection connection = fleet;
        if (connection != null) {
            connection.close();
        }
    }

    private int mtaStsSize() {
        MtaSts engine = mtaSts;
        // The gauge may be read before the constructor has finished.
        return engine == null ? 0 : engine.cachedDomains().size();
    }

    private String daneZones() {
        if (!config.usesDane()) {
            return "off";
        }
        List<String> names = new java.util.ArrayList<>();
        if (config.defaultZone().dane()) {
            names.add("default_zone");
        }
        config.zones().entrySet().stream()
                .filter(e -> e.getValue().dane())
                .map(Map.Entry::getKey)
                .sorted()
                .forEach(names::add);
        String anchors = config.dnssec().trustAnchorFile().map(Object::toString).orElse("iana-root");
        String server = config.dnssecServer().map(Object::toString).orElse("system");
        return names + " dnssec_server=" + server + " trust_anchor=" + anchors;
    }

    private List<String> zoneNames() {
        return config.zones().keySet().stream().sorted().toList();
    }

    private static SecureDnsResolver secureDns(DaemonConfig config) {
        SecureDnsResolver.Builder builder =
                SecureDnsResolver.builder().trustAnchors(config.dnssec().trustAnchors());
        config.dnssecServer().ifPresent(builder::server);
        return builder.build();
    }

    private static PolicyStore openStore(CacheConfig cache) {
        if (cache instanceof CacheConfig.Durable durable) {
            return PolicyStore.file(durable.directory());
        }
        if (cache instanceof CacheConfig.Internal internal) {
            return PolicyStore.inMemory(internal.cacheSize());
        }
        throw new IllegalStateException("the postgres cache is opened with its pool");
    }

    /** The cache for the start-up log: never the DSN's password (the JDBC URL holds none). */
    private String describe(CacheConfig cache) {
        if (cache instanceof CacheConfig.Durable durable) {
            return "file:" + durable.directory();
        }
        if (cache instanceof CacheConfig.Postgres postgres) {
            FleetConnection connection = fleet;
            String node =
                    connection == null ? "" : " node=" + connection.database().nodeId();
            return "postgres:" + postgres.dsn().jdbcUrl()
                    + postgres.dsn().user().map(u -> " user=" + u).orElse("") + node;
        }
        return "internal:" + ((CacheConfig.Internal) cache).cacheSize();
    }

    /** Overrides of what the configuration file chooses, for tests and embedding. */
    public static final class Builder {
        private final DaemonConfig config;
        private @Nullable DnsResolver dns;
        private @Nullable PolicyFetcher fetcher;
        private @Nullable SecureDnsResolver secureDns;
        private int ioThreads = 1;

        private Builder(DaemonConfig config) {
            this.config = requireNonNull(config, "config");
        }

        /** The DNS resolver (default: the configured {@code dns.server}, else the system's). */
        public Builder dns(DnsResolver dns) {
            this.dns = requireNonNull(dns, "dns");
            return this;
        }

        /**
         * The validating resolver of zones with {@code dane} (default: dnsjava's, asking {@code
         * dns.dnssec_server} or {@code dns.server} and validating from {@code dns.dnssec_trust_anchor}
         * or the IANA root).
         */
        public Builder secureDns(SecureDnsResolver secureDns) {
            this.secureDns = requireNonNull(secureDns, "secureDns");
            return this;
        }

        /** The policy fetcher (default: HTTPS on port 443 with the JDK's trust store). */
        public Builder fetcher(PolicyFetcher fetcher) {
            this.fetcher = requireNonNull(fetcher, "fetcher");
            return this;
        }

        /**
         * Network threads of the socketmap server (default 1). One thread answers cached queries
         * far faster than Postfix asks (over 100 000 a second on two cores in docs/performance.md),
         * and on a small machine shared with Postfix a second one only competes for the cores: on
         * two cores it cut the 50-connection throughput by a third. Lookups that wait for DNS or
         * HTTPS never hold a network thread.
         */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1: " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * The daemon, not yet started.
         *
         * @throws java.io.UncheckedIOException when the file store's directory cannot be created or
         *     locked
         * @throws IllegalStateException when another process holds the file store
         * @throws dev.mtasts.store.jdbc.FleetSchema.SchemaException when the fleet database is
         *     reached but its schema is newer than this daemon or cannot be migrated
         */
        public PostfixDaemon build() {
            return new PostfixDaemon(this);
        }
    }
}
