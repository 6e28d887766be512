package dev.mtasts.core.dane;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A future handed to many callers (a cached lookup): only its maker completes it, so one caller
 * cannot change what the others, and later lookups, see. Dependent stages are ordinary futures.
 * Thread-safe.
 */
final class SharedFuture<T> extends CompletableFuture<T> {

    /** Completes it; only for the maker. */
    void set(T value) {
        super.complete(value);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public boolean complete(T value) {
        throw readOnly();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw readOnly();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        throw readOnly();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public void obtrudeValue(T value) {
        throw readOnly();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public void obtrudeException(Throwable ex) {
        throw readOnly();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        throw readOnly();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        throw readOnly();
    }

    /** Refused: a shared result is read-only. */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a shared lookup result is read-only");
    }
}
