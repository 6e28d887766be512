package dev.mtasts.postfix;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.time.Ticker;
import dev.mtasts.postfix.net.ConnectionSettings;
import dev.mtasts.postfix.net.ConnectionTracker;
import dev.mtasts.postfix.net.SafeListener;
import dev.mtasts.postfix.net.SocketmapConnection;
import dev.mtasts.postfix.net.Transport;
import dev.mtasts.postfix.net.UnixSocketFile;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socketmap server (socketmap_table(5)) on Netty: strict netstrings, requests answered in order
 * per connection, with request-size, pipelining, connection-count and idle limits (PF-NET-2,
 * PF-NET-7). Listens on TCP ({@code inet:}) or a unix socket ({@code unix:}). Build with {@link
 * #builder(SocketmapHandler)}; a server starts once and, once stopped, stays stopped.
 */
public final class SocketmapServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SocketmapServer.class);

    private final Builder options;
    private final SocketmapServerListener listener;
    private final ConnectionTracker connections;
    private final Object lock = new Object();
    private @Nullable EventLoopGroup group;
    private @Nullable Channel serverChannel;
    private @Nullable CompletableFuture<Void> stopped;

    private SocketmapServer(Builder options) {
        this.options = options;
        this.listener = new SafeListener(options.listener);
        this.connections = new ConnectionTracker(options.maxConnections, listener);
    }

    /** A builder for a server whose replies come from {@code handler}. */
    public static Builder builder(SocketmapHandler handler) {
        return new Builder(requireNonNull(handler, "handler"));
    }

    /**
     * Binds and starts accepting connections. A server runs once; after a failed bind it holds
     * nothing and may be started again.
     */
    public SocketmapServer start() throws IOException {
        synchronized (lock) {
            if (group != null || stopped != null) {
                throw new IllegalStateException("a SocketmapServer starts once");
            }
            Transport transport = options.transport;
            Path unixPath = options.unixPath;
            EventLoopGroup loops = new MultiThreadIoEventLoopGroup(options.ioThreads, transport.ioHandlerFactory());
            group = loops;
            ConnectionSettings settings = new ConnectionSettings(
                    options.handler, listener, options.maxRequestBytes, options.maxPipelined, options.ticker);
            long idleNanos = options.idleTimeout.toNanos();
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loops)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline()
                                    .addLast(new IdleStateHandler(false, idleNanos, 0, 0, TimeUnit.NANOSECONDS))
                                    .addLast(new SocketmapConnection(settings));
                            connections.admit(ch);
                        }
                    });
            SocketAddress address;
            if (unixPath != null) {
                bootstrap.channel(transport.unixChannel());
                address = transport.unixAddress(unixPath);
            } else {
                bootstrap.channel(transport.tcpChannel()).childOption(ChannelOption.TCP_NODELAY, true);
                if (options.reusePort && transport == Transport.EPOLL) {
                    bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
                } else if (options.reusePort) {
                    LOG.debug("SO_REUSEPORT needs the epoll transport; ignored on {}", transport);
                }
                address = new InetSocketAddress(options.host, options.port);
            }
            try {
                if (unixPath != null) {
                    UnixSocketFile.clearStale(unixPath);
                }
                ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
                if (!bound.isSuccess()) {
                    throw bindFailure(address, bound.cause());
                }
                serverChannel = bound.channel();
                if (unixPath != null) {
                    UnixSocketFile.setMode(unixPath, options.unixMode);
                }
            } catch (IOException | RuntimeException e) {
                Channel channel = serverChannel;
                if (channel != null) {
                    channel.close().awaitUninterruptibly();
                }
                serverChannel = null;
                group = null; // as if never started: close() has nothing to stop, start() may retry
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
            LOG.info("socketmap server listening on {} ({})", localAddress(), transport);
            return this;
        }
    }

    private static IOException bindFailure(SocketAddress address, @Nullable Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException("cannot bind " + address, cause);
    }

    /** The bound TCP port (useful after binding port 0); fails for a unix socket or before start. */
    public int port() {
        if (localAddress() instanceof InetSocketAddress inet) {
            return inet.getPort();
        }
        throw new IllegalStateException("not listening on TCP");
    }

    /** The bound address: an {@link InetSocketAddress} or a unix-socket address; fails before start. */
    public SocketAddress localAddress() {
        Channel channel;
        synchronized (lock) {
            channel = serverChannel;
        }
        if (channel == null) {
            throw new IllegalStateException("not started");
        }
        return channel.localAddress();
    }

    /**
     * Stops accepting, answers every request already received, then closes every connection; after
     * {@code grace} the remaining connections are closed unanswered. The event loops are shut down
     * last; the stage completes then. Calling it again returns the first call's stage.
     */
    public CompletionStage<Void> stop(Duration grace) {
        requireNonNull(grace, "grace");
        CompletableFuture<Void> done;
        EventLoopGroup loops;
        Channel channel;
        synchronized (lock) {
            if (stopped != null) {
                return stopped;
            }
            done = new CompletableFuture<>();
            stopped = done;
            loops = group;
            channel = serverChannel;
        }
        if (loops == null) {
            done.complete(null); // never started
            return done;
        }
        if (channel != null) {
            channel.close().awaitUninterruptibly(); // the listener first: no new connections
        }
        Path unixPath = options.unixPath;
        if (unixPath != null && channel != null) {
            UnixSocketFile.remove(unixPath);
        }
        ScheduledFuture<?> deadline =
                loops.schedule(connections::closeAll, Math.max(0, grace.toNanos()), TimeUnit.NANOSECONDS);
        connections.stop().whenComplete((ok, error) -> {
            deadline.cancel(false);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> done.complete(null));
        });
        return done;
    }

    /** {@link #stop} with the builder's shutdown timeout, waiting for it. */
    @Override
    public void close() {
        CompletableFuture<Void> done = stop(options.shutdownTimeout).toCompletableFuture();
        try {
            done.get(options.shutdownTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("socketmap server did not stop cleanly", e);
        }
    }

    /** Options of a {@link SocketmapServer}; defaults are PF-NET-7's limits. */
    public static final class Builder {
        private final SocketmapHandler handler;
        private String host = "127.0.0.1";
        private int port = 8461;
        private @Nullable Path unixPath;
        private Set<PosixFilePermission> unixMode = EnumSet.noneOf(PosixFilePermission.class);
        private boolean reusePort = true;
        private int maxRequestBytes = 1024;
        private int maxPipelined = 128;
        private int maxConnections = 512;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(20);
        private SocketmapServerListener listener = new SocketmapServerListener() {};
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private Ticker ticker = Ticker.systemTicker();
        private Transport transport = Transport.best();

        private Builder(SocketmapHandler handler) {
            this.handler = handler;
        }

        /** TCP on {@code host:port} (default 127.0.0.1:8461; port 0 picks a free one). */
        public Builder inet(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.host = requireNonNull(host, "host");
            this.port = port;
            this.unixPath = null;
            return this;
        }

        /**
         * A unix socket at {@code path} with the given file mode (e.g. {@code 0666}). A stale socket
         * file there is replaced; any other file makes {@link #start()} fail. The file is removed on
         * stop. With a chrooted smtp(8) the path is resolved inside the chroot (PF-NET-8).
         */
        public Builder unix(Path path, Set<PosixFilePermission> mode) {
            this.unixPath = requireNonNull(path, "path");
            this.unixMode = EnumSet.noneOf(PosixFilePermission.class);
            this.unixMode.addAll(requireNonNull(mode, "mode"));
            return this;
        }

        /** SO_REUSEPORT on the TCP listener (default true, as postfix-mta-sts-resolver); epoll only. */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /** Largest request payload in bytes (default 1024; 1 to 9999, under Postfix's own 10000, PF-POL-10). */
        public Builder maxRequestBytes(int bytes) {
            if (bytes < 1 || bytes > 9999) {
                throw new IllegalArgumentException("maxRequestBytes must be 1..9999: " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** Unanswered requests per connection before the server stops reading it (default 128). */
        public Builder maxPipelined(int requests) {
            this.maxPipelined = positive(requests, "maxPipelined");
            return this;
        }

        /** Open connections at most; further ones are closed at once (default 512). */
        public Builder maxConnections(int connections) {
            this.maxConnections = positive(connections, "maxConnections");
            return this;
        }

        /** A connection with nothing to answer and nothing received for this long is closed (default 60 s). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /** How long {@link #close()} waits for in-flight requests (default 20 s). */
        public Builder shutdownTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative: " + timeout);
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /** Told about connections, requests and protocol errors (metrics, logs). */
        public Builder listener(SocketmapServerListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /** Network threads (default: one per available processor). */
        public Builder ioThreads(int threads) {
            this.ioThreads = positive(threads, "ioThreads");
            return this;
        }

        /** Measures the time from a request's last byte to its reply (default: the system ticker). */
        public Builder ticker(Ticker ticker) {
            this.ticker = requireNonNull(ticker, "ticker");
            return this;
        }

        /** Tests run both transports on Linux. */
        Builder transport(Transport transport) {
            this.transport = requireNonNull(transport, "transport");
            return this;
        }

        /** The server, not yet started. */
        public SocketmapServer build() {
            return new SocketmapServer(copy());
        }

        private Builder copy() {
            Builder b = new Builder(handler);
            b.host = host;
            b.port = port;
            b.unixPath = unixPath;
            b.unixMode = EnumSet.noneOf(PosixFilePermission.class);
            b.unixMode.addAll(unixMode);
            b.reusePort = reusePort;
            b.maxRequestBytes = maxRequestBytes;
            b.maxPipelined = maxPipelined;
            b.maxConnections = maxConnections;
            b.idleTimeout = idleTimeout;
            b.shutdownTimeout = shutdownTimeout;
            b.listener = listener;
            b.ioThreads = ioThreads;
            b.ticker = ticker;
            b.transport = transport;
            return b;
        }

        private static int positive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be positive: " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String what) {
            requireNonNull(value, what);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive: " + value);
            }
            return value;
        }
    }
}
