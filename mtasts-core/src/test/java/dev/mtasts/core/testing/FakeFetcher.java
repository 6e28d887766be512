package dev.mtasts.core.testing;

import dev.mtasts.core.Policy;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.core.fetch.PolicyFetcher;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** A scripted {@link PolicyFetcher}: serves one policy (or failure) and counts fetches. */
public final class FakeFetcher implements PolicyFetcher {
    private volatile FetchResult current =
            new FetchResult.Failed(FetchProblem.of(FetchProblem.Reason.NOT_FOUND, "none"));
    private final Deque<CompletableFuture<FetchResult>> held = new ArrayDeque<>();
    private volatile boolean hold;
    private final AtomicInteger fetches = new AtomicInteger();

    public FakeFetcher serve(String policyText) {
        current = new FetchResult.Fetched(Policy.parse(policyText));
        return this;
    }

    public FakeFetcher fail(FetchProblem failure) {
        current = new FetchResult.Failed(failure);
        return this;
    }

    public FakeFetcher fail(FetchProblem.Reason reason) {
        return fail(FetchProblem.of(reason, "scripted " + reason));
    }

    /** Later fetches stay pending until {@link #release()}. */
    public synchronized FakeFetcher hold() {
        hold = true;
        return this;
    }

    public synchronized void release() {
        hold = false;
        while (!held.isEmpty()) {
            held.poll().complete(current);
        }
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public synchronized CompletionStage<FetchResult> fetch(String policyDomain) {
        fetches.incrementAndGet();
        if (hold) {
            CompletableFuture<FetchResult> pending = new CompletableFuture<>();
            held.add(pending);
            return pending;
        }
        return CompletableFuture.completedFuture(current);
    }
}
