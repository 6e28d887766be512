package dev.mtasts.postfix;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The per-zone options of postfix-mta-sts-resolver's YAML ({@code default_zone}, {@code zones.NAME}),
 * plus ours.
 *
 * @param strictTesting answer {@code testing} policies as {@code enforce} (default false)
 * @param timeout how long a request may wait for DNS and HTTPS before it is answered (default 4 s)
 * @param requireSni add {@code servername=hostname} (default true; Postfix before 3.4 rejects it)
 * @param tlsrpt add the Postfix 3.10 TLSRPT attributes (default false; Postfix before 3.10 rejects them)
 * @param tempOnDnsError answer {@code TEMP} when DNS fails temporarily and nothing is cached (default
 *     true; false answers {@code NOTFOUND } as postfix-mta-sts-resolver does)
 */
public record ZoneSettings(
        boolean strictTesting, Duration timeout, boolean requireSni, boolean tlsrpt, boolean tempOnDnsError) {

    /** Checks that the timeout is positive. */
    public ZoneSettings {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
    }

    /** The defaults of postfix-mta-sts-resolver, and {@code tempOnDnsError} true. */
    public static ZoneSettings defaults() {
        return new ZoneSettings(false, Duration.ofSeconds(4), true, false, true);
    }
}
