package dev.mtasts.store.jdbc;

import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.PostgresCluster;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import dev.mtasts.tlsrpt.internal.AggregateJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Shared parts of the TLSRPT fleet tests: data sources on the real PostgreSQL, a known pattern of
 * sessions, its exact totals, the totals in the database, and child JVMs.
 */
final class CountsFixture {
    static final AppliedPolicy A = AppliedPolicy.sts(
            "a.example",
            List.of("version: STSv1", "mode: enforce", "mx: mx.a.example", "max_age: 86400"),
            List.of("mx.a.example"));
    static final AppliedPolicy B = AppliedPolicy.noPolicyFound("b.example");
    static final List<SessionFailure> DETAILS = List.of(
            SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx.a.example")),
            SessionFailure.at(ResultType.STARTTLS_NOT_SUPPORTED, MxEndpoint.of("192.0.2.1", "mx.b.example")),
            SessionFailure.of(ResultType.STS_POLICY_FETCH_ERROR));

    private CountsFixture() {}

    /** A data source on {@code database} of {@code cluster}: a new connection each time, as a test wants. */
    static DataSource dataSource(String jdbcUrl) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setConnectTimeout(2);
        ds.setSocketTimeout(10);
        return ds;
    }

    static String newDatabase(PostgresCluster cluster, String prefix) {
        return cluster.jdbcUrl(cluster.createDatabase(prefix));
    }

    /** Records session {@code i} of the pattern: successes and failures on two policies, one or two details. */
    static void record(TlsRptRecorder r, long i) {
        switch ((int) (i % 4)) {
            case 0 -> r.recordSuccess(A);
            case 1 -> r.recordFailure(B, DETAILS.get((int) (i % 3)));
            case 2 -> r.recordSuccess(B);
            default -> r.recordFailure(A, DETAILS.get(0), DETAILS.get(1));
        }
    }

    /** The exact totals of sessions {@code from} (inclusive) to {@code to} (exclusive) of the pattern. */
    static Map<String, Long> expected(long from, long to) {
        Map<String, Long> out = new TreeMap<>();
        for (long i = from; i < to; i++) {
            switch ((int) (i % 4)) {
                case 0 -> out.merge("a.example successful", 1L, Long::sum);
                case 1 -> {
                    out.merge("b.example failed", 1L, Long::sum);
                    out.merge("b.example " + AggregateJson.failureText(DETAILS.get((int) (i % 3))), 1L, Long::sum);
                }
                case 2 -> out.merge("b.example successful", 1L, Long::sum);
                default -> {
                    out.merge("a.example failed", 1L, Long::sum);
                    out.merge("a.example " + AggregateJson.failureText(DETAILS.get(0)), 1L, Long::sum);
                    out.merge("a.example " + AggregateJson.failureText(DETAILS.get(1)), 1L, Long::sum);
                }
            }
        }
        return out;
    }

    /** Adds {@code more} into {@code into}. */
    static void add(Map<String, Long> into, Map<String, Long> more) {
        more.forEach((k, v) -> into.merge(k, v, Long::sum));
    }

    /** The database's totals in the shape of {@link #expected}, over every day and node. */
    static Map<String, Long> totals(DataSource ds) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT policy_domain, detail_json, sum(successful), sum(failed),"
                        + " sum(detail_count) FROM mtasts_tlsrpt_count GROUP BY policy_domain, detail_json")) {
            while (r.next()) {
                String domain = r.getString(1);
                if (r.getString(2).isEmpty()) {
                    putIfPositive(out, domain + " successful", r.getLong(3));
                    putIfPositive(out, domain + " failed", r.getLong(4));
                } else {
                    putIfPositive(out, domain + " " + r.getString(2), r.getLong(5));
                }
            }
        }
        return out;
    }

    private static void putIfPositive(Map<String, Long> out, String key, long n) {
        if (n > 0) {
            out.put(key, n);
        }
    }

    /** Every session in the totals (successful plus failed). */
    static long sessions(Map<String, Long> totals) {
        long n = 0;
        for (Map.Entry<String, Long> e : totals.entrySet()) {
            if (e.getKey().endsWith(" successful") || e.getKey().endsWith(" failed")) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** A child JVM running {@link FleetNodeMain} with {@code args}, with this test's class path. */
    static Child start(String... args) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Surefire may run us from a manifest-only jar; its real class path is in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, FleetNodeMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new Child(p);
    }

    /** A child JVM and the lines it prints. */
    static final class Child implements AutoCloseable {
        final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("error " + e);
                }
                lines.add("<exit>");
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line starting with {@code prefix}, waiting at most a minute; fails on exit. */
        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals("<exit>")) {
                    throw new AssertionError(
                            "child " + process.pid() + " printed no '" + prefix + "' line (" + line + ")");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        /** Kills the child by its process id, as a crash would, and waits for it to be gone. */
        void kill() throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }
    }
}
