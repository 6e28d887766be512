package dev.mtasts.postfix.config;

import static java.util.Objects.requireNonNull;

/**
 * The mtasts-only {@code metrics} key: serve Prometheus metrics on {@code GET /metrics}. Absent
 * means no metrics endpoint (PF-CONF-7).
 *
 * @param host the address to bind (default 127.0.0.1)
 * @param port the port (default 8462; 0 picks a free one)
 */
public record MetricsConfig(String host, int port) {

    /** The defaults: 127.0.0.1:8462. */
    public static MetricsConfig defaults() {
        return new MetricsConfig("127.0.0.1", 8462);
    }

    /** Checks the values. */
    public MetricsConfig {
        requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
