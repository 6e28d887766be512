package dev.mtasts.bench;

import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import java.time.Duration;
import java.util.Locale;

/**
 * Estimates the heap cost of one cached policy without JOL: caches N distinct policies (each parsed
 * separately, as real fetches are) through {@link MtaSts} with in-memory DNS and HTTPS, then
 * compares used heap after full GCs before and after. Run: {@code java -cp
 * mtasts-bench/target/benchmarks.jar dev.mtasts.bench.CacheMemory [N]}; best with {@code -XX:+UseSerialGC}.
 */
public final class CacheMemory {
    private CacheMemory() {}

    /** Prints bytes per cached policy. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String policy = "version: STSv1\nmode: enforce\nmx: mx1.%s\nmx: mx2.%s\nmax_age: 604800\n";
        long before = usedAfterGc();
        MtaSts sts = MtaSts.builder()
                .dns(new DecisionBenchmark.StaticDns("v=STSv1; id=20260101T000000"))
                .fetcher(domain -> java.util.concurrent.CompletableFuture.completedFuture(
                        new dev.mtasts.core.fetch.FetchResult.Fetched(
                                dev.mtasts.core.Policy.parse(String.format(Locale.ROOT, policy, domain, domain)))))
                .txtCheckInterval(Duration.ofDays(1))
                .build();
        for (int i = 0; i < n; i++) {
            PolicyResult result = sts.policyFor("domain" + i + ".example");
            if (!(result instanceof PolicyResult.PolicyFound)) {
                throw new IllegalStateException("no policy for domain " + i + ": " + result);
            }
        }
        long after = usedAfterGc();
        System.out.printf(
                Locale.ROOT,
                "%d cached policies: %.1f MiB, %d bytes per policy (each: 2 mx lines, 5 policy lines)%n",
                n,
                (after - before) / 1048576.0,
                (after - before) / n);
        if (Boolean.getBoolean("cachememory.pause")) {
            System.out.println("paused for a heap histogram (jcmd <pid> GC.class_histogram); press enter");
            System.in.read();
        }
        if (sts.cachedDomains().size() != n) {
            throw new IllegalStateException("cache lost entries");
        }
        sts.close();
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
