package dev.mtasts.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.Policy;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import dev.mtasts.store.jdbc.FleetDatabase;
import dev.mtasts.store.jdbc.JdbcPolicyStore;
import dev.mtasts.testkit.MtaStsWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A first lookup of a domain on one node of a fleet, in a warmed-up JVM, against the testkit's real
 * loopback DNS server and HTTPS policy host, as in {@link ColdLookupBenchmark}: {@link
 * #fromDatabase} finds nothing in its memory but the policy in the fleet's PostgreSQL (another node
 * fetched it), so it costs a database read and the TXT query that checks the stored id (RFC 8461
 * §3.3), no HTTPS; {@link #overHttps} has nothing stored and fetches (TXT, A/AAAA, TCP, TLS, GET,
 * parse). Every invocation asks for a domain never asked before. The node's {@code MtaSts} is built
 * before the other node's policies reach the database, so none of them is loaded at start-up.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ColdLookupFromDatabaseBenchmark {
    static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.bench.test\nmax_age: 604800\n";

    /** The world's domains, each with its policy already in the fleet's database. */
    @State(Scope.Benchmark)
    @SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
    public static class Stored {
        /** How many distinct domains; the run fails rather than reuse one (raise it for longer runs). */
        @Param("20000")
        public int storedDomains;

        MtaStsWorld world;
        HikariDataSource dataSource;
        FleetDatabase database;
        JdbcPolicyStore store;
        MtaSts mtaSts;
        int next;

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            world = ColdLookupBenchmark.newWorld(storedDomains);
            dataSource = FleetBench.newDatabase("bench_cold_db");
            database = FleetDatabase.builder(dataSource).nodeId("bench-reader").build();
            store = JdbcPolicyStore.builder(database).build();
            mtaSts = newMtaSts(world, store);
            fillDatabase();
        }

        /** Another node's store writes every domain's policy, as its fetches would. */
        private void fillDatabase() throws InterruptedException {
            try (FleetDatabase writerDb = FleetDatabase.builder(dataSource)
                            .nodeId("bench-writer")
                            .operationTimeout(Duration.ofSeconds(30))
                            .build();
                    JdbcPolicyStore writer = JdbcPolicyStore.builder(writerDb).build()) {
                Policy policy = Policy.parse(POLICY);
                Instant now = Instant.now();
                for (int i = 0; i < storedDomains; i++) {
                    writer.put(CachedPolicy.of(ColdLookupBenchmark.domain(i), "1", policy, now));
                }
                // Writes are queued and written in order by the store's writer thread.
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                String last = ColdLookupBenchmark.domain(storedDomains - 1);
                while (writer.get(last).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the policies did not reach the database in 2 minutes");
                    }
                    Thread.sleep(50);
                }
                int stored = writer.all().size();
                if (stored != storedDomains) {
                    throw new IllegalStateException(storedDomains + " policies written but " + stored + " stored");
                }
            }
        }

        String nextDomain() {
            if (next >= storedDomains) {
                throw new IllegalStateException("all " + storedDomains + " domains used: raise -p storedDomains");
            }
            return ColdLookupBenchmark.domain(next++);
        }

        @TearDown(Level.Trial)
        public void stop() {
            mtaSts.close();
            store.close();
            database.close();
            dataSource.close();
            world.close();
        }
    }

    /** The world's domains with nothing stored: every first lookup fetches over HTTPS. */
    @State(Scope.Benchmark)
    @SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
    public static class Fetched {
        /** How many distinct domains; the run fails rather than reuse one (raise it for longer runs). */
        @Param("5000")
        public int fetchedDomains;

        MtaStsWorld world;
        MtaSts mtaSts;
        int next;

        @Setup(Level.Trial)
        public void start() {
            world = ColdLookupBenchmark.newWorld(fetchedDomains);
            mtaSts = ColdLookupBenchmark.newMtaSts(world);
        }

        String nextDomain() {
            if (next >= fetchedDomains) {
                throw new IllegalStateException("all " + fetchedDomains + " domains used: raise -p fetchedDomains");
            }
            return ColdLookupBenchmark.domain(next++);
        }

        @TearDown(Level.Trial)
        public void stop() {
            mtaSts.close();
            world.close();
        }
    }

    static MtaSts newMtaSts(MtaStsWorld world, JdbcPolicyStore store) {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        return MtaSts.builder()
                .dns(dns)
                .fetcher(
                        world.policyFetcher(dns).timeout(Duration.ofSeconds(10)).build())
                .store(store)
                .build();
    }

    /** A new domain whose policy another node stored: a database read and a TXT query. */
    @Benchmark
    public PolicyResult fromDatabase(Stored state) {
        String domain = state.nextDomain();
        PolicyResult result = state.mtaSts.policyFor(domain);
        if (!(result instanceof PolicyResult.PolicyFound found) || found.source() == PolicySource.FRESH) {
            // A fetch here would make this the HTTPS figure: the database did not answer in time.
            throw new IllegalStateException(domain + " was not answered from the database: " + result);
        }
        return result;
    }

    /** A new domain with nothing stored: fetched over HTTPS (as {@code ColdLookupBenchmark.coldLookup}). */
    @Benchmark
    public PolicyResult overHttps(Fetched state) {
        String domain = state.nextDomain();
        PolicyResult result = state.mtaSts.policyFor(domain);
        if (!(result instanceof PolicyResult.PolicyFound found) || found.source() != PolicySource.FRESH) {
            throw new IllegalStateException(domain + " was not fetched: " + result);
        }
        return result;
    }
}
