package dev.mtasts.postfix;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.postfix.config.DaemonConfig;
import java.io.IOException;
import java.util.OptionalInt;

/**
 * The whole daemon from a {@link DaemonConfig}: an {@link MtaSts} with the configured cache, a
 * {@link PostfixPolicyAnswerer} with the configured zones, a {@link SocketmapServer}, and metrics.
 *
 * <p>STUB: the API the other parts compile against; the implementation replaces the bodies.
 */
public final class PostfixDaemon implements AutoCloseable {

    private PostfixDaemon() {}

    /** A builder for the daemon {@code config} describes. */
    public static Builder builder(DaemonConfig config) {
        throw new UnsupportedOperationException("stub");
    }

    /** Starts the server (and the metrics endpoint, if configured). */
    public PostfixDaemon start() throws IOException {
        throw new UnsupportedOperationException("stub");
    }

    /** The socketmap server's bound TCP port. */
    public int port() {
        throw new UnsupportedOperationException("stub");
    }

    /** The metrics endpoint's bound port, if it has one. */
    public OptionalInt metricsPort() {
        throw new UnsupportedOperationException("stub");
    }

    /** The engine answering, for tests and tools. */
    public MtaSts mtaSts() {
        throw new UnsupportedOperationException("stub");
    }

    /** Stops gracefully (answers in-flight requests within {@code shutdown_timeout}). */
    @Override
    public void close() {
        throw new UnsupportedOperationException("stub");
    }

    /** Overrides of what the configuration file chooses, for tests and embedding. */
    public static final class Builder {
        private Builder() {}

        /** The DNS resolver (default: the configured one, else the system's). */
        public Builder dns(DnsResolver dns) {
            throw new UnsupportedOperationException("stub");
        }

        /** The policy fetcher (default: HTTPS on port 443 with the JDK's trust store). */
        public Builder fetcher(PolicyFetcher fetcher) {
            throw new UnsupportedOperationException("stub");
        }

        /** The daemon, not yet started. */
        public PostfixDaemon build() {
            throw new UnsupportedOperationException("stub");
        }
    }
}
