package dev.mtasts.core.testing;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link DnsResolver} for unit tests: answers are set per name, queries are counted. */
public final class FakeDns implements DnsResolver {
    private final Map<String, DnsResult<String>> txt = new ConcurrentHashMap<>();
    private final Map<String, DnsResult<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final AtomicInteger txtQueries = new AtomicInteger();
    private final Deque<Runnable> held = new ArrayDeque<>();
    private boolean hold;

    public FakeDns txt(String name, String... records) {
        txt.put(
                name,
                records.length == 0
                        ? DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA)
                        : DnsResult.records(List.of(records)));
        return this;
    }

    public FakeDns txt(String name, DnsResult<String> result) {
        txt.put(name, result);
        return this;
    }

    /** NODATA at {@code name} (not {@code txt(name)}: that is the blocking lookup). */
    public FakeDns nodata(String name) {
        return txt(name, DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA));
    }

    public FakeDns address(String name, InetAddress... values) {
        addresses.put(name, DnsResult.records(List.of(values)));
        return this;
    }

    public FakeDns address(String name, DnsResult<InetAddress> result) {
        addresses.put(name, result);
        return this;
    }

    public int txtQueries() {
        return txtQueries.get();
    }

    /** Later TXT answers stay pending until {@link #release()}; they are read at release time. */
    public synchronized FakeDns hold() {
        hold = true;
        return this;
    }

    /** Answers the held TXT queries, in order, and stops holding. */
    public void release() {
        List<Runnable> answers;
        synchronized (this) {
            hold = false;
            answers = List.copyOf(held);
            held.clear();
        }
        answers.forEach(Runnable::run);
    }

    /** How many TXT queries are pending. */
    public synchronized int heldQueries() {
        return held.size();
    }

    @Override
    public CompletionStage<DnsResult<String>> txtAsync(String name) {
        txtQueries.incrementAndGet();
        synchronized (this) {
            if (hold) {
                CompletableFuture<DnsResult<String>> pending = new CompletableFuture<>();
                held.add(() -> pending.complete(answer(name)));
                return pending;
            }
        }
        return CompletableFuture.completedFuture(answer(name));
    }

    private DnsResult<String> answer(String name) {
        return txt.getOrDefault(name, DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
        return CompletableFuture.completedFuture(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
        return CompletableFuture.completedFuture(
                addresses.getOrDefault(name, DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN)));
    }
}
