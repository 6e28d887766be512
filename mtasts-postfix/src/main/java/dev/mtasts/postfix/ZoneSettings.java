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
 * @param dane mtasts-only: look for DANE (RFC 7672) first and answer {@code dane-only} or {@code dane}
 *     when the next hop publishes TLSA records, before any MTA-STS answer (default false)
 */
public record ZoneSettings(
        boolean strictTesting,
        Duration timeout,
        boolean requireSni,
        boolean tlsrpt,
        boolean tempOnDnsError,
        boolean dane) {

    /** Checks that the timeout is positive. */
    public ZoneSettings {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
    }

    /** The settings of a zone without DANE ({@code dane} false). */
    public ZoneSettings(
            boolean strictTesting, Duration timeout, boolean requireSni, boolean tlsrpt, boolean tempOnDnsError) {
        this(strictTesting, timeout, requireSni, tlsrpt, tempOnDnsError, false);
    }

    /** The defaults of postfix-mta-sts-resolver, {@code tempOnDnsError} true and {@code dane} false. */
    public static ZoneSettings defaults() {
        return new ZoneSettings(false, Duration.ofSeconds(4), true, false, true, false);
    }

    /** These settings with {@code dane} as given. */
    public ZoneSettings withDane(boolean dane) {
        return new ZoneSettings(strictTesting, timeout, requireSni, tlsrpt, tempOnDnsError, dane);
    }
}
