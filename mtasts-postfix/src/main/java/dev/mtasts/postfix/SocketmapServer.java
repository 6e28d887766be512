package dev.mtasts.postfix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A socketmap server (socketmap_table(5)) on Netty: strict netstrings, requests answered in order
 * per connection, with request-size, pipelining, connection-count and idle limits. Listens on TCP
 * ({@code inet:}) or a unix socket ({@code unix:}). Build with {@link #builder(SocketmapHandler)}.
 *
 * <p>STUB: the API the other parts compile against; the implementation replaces the bodies.
 */
public final class SocketmapServer implements AutoCloseable {

    private SocketmapServer() {}

    /** A builder for a server whose replies come from {@code handler}. */
    public static Builder builder(SocketmapHandler handler) {
        throw new UnsupportedOperationException("stub");
    }

    /** Binds and starts accepting connections. */
    public SocketmapServer start() throws IOException {
        throw new UnsupportedOperationException("stub");
    }

    /** The bound TCP port (useful after binding port 0); fails for a unix socket. */
    public int port() {
        throw new UnsupportedOperationException("stub");
    }

    /** The bound address: an {@link InetSocketAddress} or a unix-socket address. */
    public SocketAddress localAddress() {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Stops accepting, answers every request already received, then closes every connection; after
     * {@code grace} the remaining connections are closed unanswered.
     */
    public CompletionStage<Void> stop(Duration grace) {
        throw new UnsupportedOperationException("stub");
    }

    /** {@link #stop} with the builder's shutdown timeout, waiting for it. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("stub");
    }

    /** Options of a {@link SocketmapServer}; defaults are PF-NET-7's limits. */
    public static final class Builder {
        private Builder() {}

        /** TCP on {@code host:port} (default 127.0.0.1:8461; port 0 picks a free one). */
        public Builder inet(String host, int port) {
            throw new UnsupportedOperationException("stub");
        }

        /** A unix socket at {@code path} with the given file mode (e.g. {@code 0666}). */
        public Builder unix(Path path, Set<PosixFilePermission> mode) {
            throw new UnsupportedOperationException("stub");
        }

        /** SO_REUSEPORT on the TCP listener (default true, as postfix-mta-sts-resolver). */
        public Builder reusePort(boolean reusePort) {
            throw new UnsupportedOperationException("stub");
        }

        /** Largest request payload in bytes (default 1024). */
        public Builder maxRequestBytes(int bytes) {
            throw new UnsupportedOperationException("stub");
        }

        /** Unanswered requests per connection before the server stops reading it (default 128). */
        public Builder maxPipelined(int requests) {
            throw new UnsupportedOperationException("stub");
        }

        /** Open connections at most; further ones are closed at once (default 512). */
        public Builder maxConnections(int connections) {
            throw new UnsupportedOperationException("stub");
        }

        /** A connection with nothing to answer and nothing received for this long is closed (default 60 s). */
        public Builder idleTimeout(Duration timeout) {
            throw new UnsupportedOperationException("stub");
        }

        /** How long {@link #close()} waits for in-flight requests (default 20 s). */
        public Builder shutdownTimeout(Duration timeout) {
            throw new UnsupportedOperationException("stub");
        }

        /** Told about connections, requests and protocol errors (metrics, logs). */
        public Builder listener(SocketmapServerListener listener) {
            throw new UnsupportedOperationException("stub");
        }

        /** The server, not yet started. */
        public SocketmapServer build() {
            throw new UnsupportedOperationException("stub");
        }
    }
}
