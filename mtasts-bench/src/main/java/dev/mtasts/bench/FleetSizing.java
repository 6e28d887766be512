package dev.mtasts.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.store.jdbc.FleetDatabase;
import dev.mtasts.store.jdbc.FleetRecorder;
import dev.mtasts.store.jdbc.JdbcPolicyStore;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures what a day of a fleet costs in the database (docs/fleet.md, "Sizing"): {@code NODES}
 * nodes, each its own {@link FleetDatabase}, {@link TlsRptRecorder} and {@link FleetRecorder},
 * record a synthetic day for {@code DOMAINS} policy domains ({@code SESSIONS} successful sessions per
 * domain and node; one domain in ten also has a certificate failure at one MX, one in fifty a second,
 * different one) and flush it in {@code FLUSHES} flushes each; then every domain's policy is
 * stored through a {@link JdbcPolicyStore}. Prints each fleet table's rows and bytes ({@code
 * pg_total_relation_size}: heap, indexes, TOAST) as written, after {@code VACUUM} and after {@code
 * VACUUM FULL}, the WAL the flushes wrote, and the sessions the listeners saw flushed, against those
 * recorded.
 *
 * <p>{@code java -cp benchmarks.jar dev.mtasts.bench.FleetSizing [DOMAINS [NODES [SESSIONS
 * [FLUSHES]]]]}, defaults 10000 10 100 10; PostgreSQL as for the benchmarks.
 */
public final class FleetSizing {
    private FleetSizing() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        int domains = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int flushes = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        if (domains < 1 || nodes < 1 || sessions < flushes || flushes < 1) {
            throw new IllegalArgumentException("need DOMAINS >= 1, NODES >= 1, SESSIONS >= FLUSHES >= 1");
        }
        AppliedPolicy[] policies = new AppliedPolicy[domains];
        List<Policy> parsed = new ArrayList<>(domains);
        for (int i = 0; i < domains; i++) {
            // A typical policy: two MX patterns, a week's max_age.
            Policy policy = Policy.parse("version: STSv1\nmode: enforce\nmx: mx1.domain" + i + ".example\nmx: *.backup"
                    + i + ".example\nmax_age: 604800\n");
            parsed.add(policy);
            policies[i] = AppliedPolicy.of("domain" + i + ".example", policy);
        }
        SessionFailure expired =
                SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.10", "mx1.example"));
        SessionFailure mismatch =
                SessionFailure.at(ResultType.CERTIFICATE_HOST_MISMATCH, MxEndpoint.of("2001:db8::25", "mx2.example"));

        try (HikariDataSource dataSource = FleetBench.newDatabase("fleet_sizing")) {
            FleetRecordingBenchmark.Counting listener = new FleetRecordingBenchmark.Counting();
            long recorded = 0;
            long walBefore = FleetBench.walBytes(dataSource);
            long started = System.nanoTime();
            for (int n = 0; n < nodes; n++) {
                TlsRptRecorder recorder = TlsRptRecorder.builder().build();
                try (FleetDatabase database = FleetDatabase.builder(dataSource)
                                .nodeId("node-" + n)
                                .operationTimeout(Duration.ofSeconds(60))
                                .listener(listener)
                                .build();
                        FleetRecorder fleet = FleetRecorder.builder(database, recorder)
                                .flushInterval(Duration.ofHours(1))
                                .build()) {
                    for (int f = 0; f < flushes; f++) {
                        for (int d = 0; d < domains; d++) {
                            for (int s = 0; s < sessions / flushes; s++) {
                                recorder.recordSuccess(policies[d]);
                                recorded++;
                            }
                            if (d % 10 == 0 && f == 0) {
                                recorder.recordFailure(policies[d], expired);
                                recorded++;
                            }
                            if (d % 50 == 0 && f == 0) {
                                recorder.recordFailure(policies[d], mismatch);
                                recorded++;
                            }
                        }
                        if (!fleet.flush()) {
                            throw new IllegalStateException("node-" + n + ": flush " + f + " failed");
                        }
                    }
                }
            }
            long countMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            long countWal = FleetBench.walBytes(dataSource) - walBefore;

            started = System.nanoTime();
            try (FleetDatabase database = FleetDatabase.builder(dataSource)
                            .nodeId("node-policies")
                            .operationTimeout(Duration.ofSeconds(60))
                            .build();
                    JdbcPolicyStore store = JdbcPolicyStore.builder(database).build()) {
                Instant now = Instant.now();
                for (int i = 0; i < domains; i++) {
                    store.put(CachedPolicy.of("domain" + i + ".example", "20261202T000000", parsed.get(i), now));
                }
                String last = "domain" + (domains - 1) + ".example";
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (store.get(last).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the policies did not reach the database in 5 minutes");
                    }
                    Thread.sleep(50);
                }
            }
            long policyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            System.out.printf(
                    "%d domains x %d nodes, %d sessions per domain and node in %d flushes each%n",
                    domains, nodes, sessions, flushes);
            System.out.printf(
                    "recorded %,d sessions; flushed %,d sessions in %,d flushes, %,d rows upserted in %,d ms"
                            + " (%,.0f rows/s), %,d bytes of WAL (%,d per row upserted)%n",
                    recorded,
                    listener.sessions.get(),
                    listener.flushes.get(),
                    listener.rows.get(),
                    countMillis,
                    listener.rows.get() * 1000.0 / Math.max(1, countMillis),
                    countWal,
                    countWal / Math.max(1, listener.rows.get()));
            System.out.printf("%,d policies stored (%,d ms)%n", domains, policyMillis);
            print("as written", FleetBench.tableSizes(dataSource, ""));
            print("after VACUUM ANALYZE", FleetBench.tableSizes(dataSource, "VACUUM ANALYZE"));
            print("after VACUUM FULL (live rows only)", FleetBench.tableSizes(dataSource, "VACUUM FULL ANALYZE"));
            if (listener.sessions.get() != recorded) {
                throw new IllegalStateException(
                        "recorded " + recorded + " sessions but " + listener.sessions.get() + " were flushed");
            }
        }
    }

    private static void print(String when, Map<String, long[]> sizes) {
        System.out.println(when + ":");
        for (Map.Entry<String, long[]> table : sizes.entrySet()) {
            long rows = table.getValue()[0];
            long bytes = table.getValue()[1];
            System.out.printf(
                    "  %-28s %,10d rows %,14d bytes %,8d bytes/row%n",
                    table.getKey(), rows, bytes, rows == 0 ? 0 : bytes / rows);
        }
    }
}
