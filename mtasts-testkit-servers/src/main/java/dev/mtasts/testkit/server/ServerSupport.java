package dev.mtasts.testkit.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What every fake server shares: the loopback address, named daemon threads, the open sockets to
 * close, and waits that end early when the server closes. Thread-safe.
 */
final class ServerSupport implements Closeable {
    static final InetAddress LOOPBACK = loopback();

    private final String name;
    private final ExecutorService executor;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);

    ServerSupport(String name) {
        this.name = name;
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
        this.executor = Executors.newCachedThreadPool(factory);
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a task on a named daemon thread; ignored once closed. */
    void execute(Runnable task) {
        if (isClosed()) {
            return;
        }
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed concurrently: the connection is closed with the rest
        }
    }

    /** Tracks a socket so that close() closes it. */
    /**
     * A TCP server socket on 127.0.0.1 with an ephemeral port, tracked so {@link #close()} closes it,
     * and an accept loop started on it.
     *
     * @throws IllegalStateException naming {@code what} if it cannot be bound
     */
    ServerSocket listen(String what, Consumer<ServerSocket> acceptLoop) {
        try {
            return listen(what, new InetSocketAddress(LOOPBACK, 0), acceptLoop);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind " + what + " on 127.0.0.1", e);
        }
    }

    /**
     * A TCP server socket bound to exactly {@code address}, tracked so {@link #close()} closes it,
     * and an accept loop started on it.
     *
     * @throws IOException if the address cannot be bound
     */
    ServerSocket listen(String what, InetSocketAddress address, Consumer<ServerSocket> acceptLoop) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, 50);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot bind " + what + " on " + address + ": " + e.getMessage(), e);
        }
        track(socket);
        execute(() -> acceptLoop.accept(socket));
        return socket;
    }

    /** The next element of a recording queue, waiting up to {@code timeout}; empty if interrupted. */
    static <T> Optional<T> poll(BlockingQueue<T> queue, Duration timeout) {
        try {
            return Optional.ofNullable(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    <T extends Closeable> T track(T closeable) {
        open.add(closeable);
        if (isClosed()) {
            quietly(closeable);
        }
        return closeable;
    }

    void untrack(Closeable closeable) {
        open.remove(closeable);
        quietly(closeable);
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Waits for {@code duration}, or less if the server closes first.
     *
     * @return true if the full time passed with the server still open
     */
    boolean pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return !isClosed();
        }
        try {
            return !closed.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        closed.countDown();
        for (Closeable closeable : open) {
            quietly(closeable);
        }
        open.clear();
        executor.shutdownNow();
        // Join the threads themselves: a terminated executor may still have workers on their way out.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            for (Thread thread : threads) {
                long left = deadline - System.nanoTime();
                if (thread != Thread.currentThread() && left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (threads.stream().anyMatch(t -> t != Thread.currentThread() && t.isAlive())) {
            org.slf4j.LoggerFactory.getLogger(ServerSupport.class)
                    .warn("{}: some threads did not stop within 2 s", name);
        }
    }

    static void quietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            // closing is best effort: the peer may already be gone
        }
    }
}
