package dev.mtasts.postfix.net;

import dev.mtasts.postfix.SocketmapServerListener;
import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts and remembers a server's open connections: refuses those over the limit (PF-NET-7), and
 * knows when the last one has closed after a stop began.
 */
public final class ConnectionTracker {

    private final int maxConnections;
    private final SocketmapServerListener listener;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    private volatile boolean stopping;

    /** A tracker admitting at most {@code maxConnections}; {@code listener} must not throw. */
    public ConnectionTracker(int maxConnections, SocketmapServerListener listener) {
        this.maxConnections = maxConnections;
        this.listener = listener;
    }

    /**
     * Admits a freshly accepted channel, or closes it at once when the limit is reached or the
     * server is stopping; true if admitted.
     */
    public boolean admit(Channel channel) {
        int now = open.incrementAndGet();
        if (now > maxConnections || stopping) {
            open.decrementAndGet();
            if (!stopping) {
                listener.connectionRefused();
            }
            channel.close();
            return false;
        }
        channels.add(channel);
        listener.connectionOpened(now);
        channel.closeFuture().addListener(f -> closed(channel));
        if (stopping) {
            // The stop's sweep may have missed this one; a second DRAIN is ignored.
            channel.pipeline().fireUserEventTriggered(SocketmapConnection.DRAIN);
        }
        return true;
    }

    private void closed(Channel channel) {
        channels.remove(channel);
        int now = open.decrementAndGet();
        listener.connectionClosed(now);
        if (stopping && now == 0) {
            allClosed.complete(null);
        }
    }

    /**
     * Refuses new connections from now on and asks every open one to drain; the stage completes when
     * the last has closed.
     */
    public CompletableFuture<Void> stop() {
        stopping = true;
        for (Channel channel : channels) {
            channel.pipeline().fireUserEventTriggered(SocketmapConnection.DRAIN);
        }
        if (open.get() == 0) {
            allClosed.complete(null);
        }
        return allClosed;
    }

    /** Closes every open connection now, answered or not (the stop's grace has run out). */
    public void closeAll() {
        for (Channel channel : channels) {
            channel.close();
        }
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }
}
