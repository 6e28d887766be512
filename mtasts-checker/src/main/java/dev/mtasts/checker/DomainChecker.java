package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.internal.CheckRun;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Checks a domain's published MTA-STS and TLSRPT set-up the way a compliant sender sees it: the
 * {@code _mta-sts} record, the policy from every address of the policy host, every MX host and
 * address (STARTTLS, TLS version, certificate), the {@code _smtp._tls} record, and cross-checks no
 * single lookup shows. Uses the sender's own parsers, fetch limits and matcher, so its verdict is
 * the verdict this SDK's sender reaches.
 *
 * <p>Thread-safe; several domains may be checked at once. {@link #close()} stops the threads.
 *
 * <pre>{@code
 * try (DomainChecker checker = DomainChecker.create()) {
 *     CheckReport report = checker.check("example.com", CheckOptions.defaults());
 *     report.findings().forEach(f -> System.out.println(f.severity() + " " + f.id() + " " + f.message()));
 * }
 * }</pre>
 */
public final class DomainChecker implements AutoCloseable {
    private final ExecutorService executor;

    private DomainChecker(ExecutorService executor) {
        this.executor = executor;
    }

    /** A checker with its own daemon threads. */
    public static DomainChecker create() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "mtasts-checker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new DomainChecker(Executors.newCachedThreadPool(threads));
    }

    /**
     * Checks {@code domain}, giving each finding to {@code listener} as it is found (from the
     * checker's threads, one at a time).
     *
     * @throws IllegalArgumentException if {@code domain} is not a domain name
     */
    public CompletableFuture<CheckReport> checkAsync(String domain, CheckOptions options, Consumer<Finding> listener) {
        requireNonNull(domain, "domain");
        requireNonNull(options, "options");
        requireNonNull(listener, "listener");
        CheckRun run = CheckRun.start(domain, options, listener, executor);
        return run.report();
    }

    /** Checks {@code domain}, blocking until done. */
    public CheckReport check(String domain, CheckOptions options) {
        try {
            return checkAsync(domain, options, f -> {}).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
