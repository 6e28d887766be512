package dev.mtasts.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.store.jdbc.FleetDatabase;
import dev.mtasts.store.jdbc.JdbcPolicyStore;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm {@link MtaSts#policyFor} of cached domains with the fleet's {@link JdbcPolicyStore} on the
 * real PostgreSQL against the default in-memory store. Goal: the same figure, since the resolver
 * answers cached domains from its own memory and reads the store only on a miss. DNS and HTTPS are
 * in-memory fakes used only to fill the cache before measuring.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class SharedCacheLookupBenchmark {

    /** Distinct cached domains (a power of two), looked up in turn. */
    static int checkedDomains(int domains) {
        if (Integer.bitCount(domains) != 1) {
            throw new IllegalArgumentException("domains must be a power of two but was " + domains);
        }
        return domains;
    }

    static String domain(int i) {
        return "d" + i + ".shared.test";
    }

    static MtaSts newMtaSts(PolicyStore store) {
        return MtaSts.builder()
                .dns(new DecisionBenchmark.StaticDns("v=STSv1; id=1"))
                .fetcher(DecisionBenchmark.StaticDns.fetcher(DecisionBenchmark.POLICY))
                .txtCheckInterval(Duration.ofDays(1))
                .store(store)
                .build();
    }

    static String[] fill(MtaSts sts, int domains) {
        String[] names = new String[domains];
        for (int i = 0; i < domains; i++) {
            names[i] = domain(i);
            PolicyResult result = sts.policyFor(names[i]);
            if (!(result instanceof PolicyResult.PolicyFound)) {
                throw new IllegalStateException("benchmark setup found no policy for " + names[i] + ": " + result);
            }
        }
        return names;
    }

    /** An {@code MtaSts} on the default in-memory store, every domain cached. */
    @State(Scope.Benchmark)
    @SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
    public static class InMemory {
        @Param("1024")
        public int domains;

        MtaSts sts;
        String[] names;

        @Setup(Level.Trial)
        public void setUp() {
            sts = newMtaSts(PolicyStore.inMemory());
            names = fill(sts, checkedDomains(domains));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sts.close();
        }
    }

    /** An {@code MtaSts} on the fleet's store on PostgreSQL, every domain cached (and stored). */
    @State(Scope.Benchmark)
    @SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
    public static class Jdbc {
        @Param("1024")
        public int domains;

        HikariDataSource dataSource;
        FleetDatabase database;
        JdbcPolicyStore store;
        MtaSts sts;
        String[] names;

        @Setup(Level.Trial)
        public void setUp() {
            dataSource = FleetBench.newDatabase("bench_shared_lookup");
            database =
                    FleetDatabase.builder(dataSource).nodeId("bench-lookup-1").build();
            store = JdbcPolicyStore.builder(database).build();
            sts = newMtaSts(store);
            names = fill(sts, checkedDomains(domains));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sts.close();
            store.close();
            database.close();
            dataSource.close();
        }
    }

    /** Per-thread cursor so threads walk the domains independently. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void start() {
            next = ThreadLocalRandom.current().nextInt();
        }
    }

    /** A cached domain, default in-memory store. */
    @Benchmark
    public PolicyResult inMemoryStore(InMemory state, Cursor c) {
        return state.sts.policyFor(state.names[c.next++ & (state.domains - 1)]);
    }

    /** A cached domain, the fleet's store on PostgreSQL. */
    @Benchmark
    public PolicyResult jdbcStore(Jdbc state, Cursor c) {
        return state.sts.policyFor(state.names[c.next++ & (state.domains - 1)]);
    }
}
