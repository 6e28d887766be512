package dev.mtasts.core.dns;

import static java.util.Objects.requireNonNull;

/**
 * One MX record: preference and exchange host name (lower-case, no trailing dot).
 *
 * @param preference the MX preference, 0 to 65535, lower is tried first (RFC 5321 §5.1)
 * @param exchange the exchange host name
 */
public record MxRecord(int preference, String exchange) {
    /** Checks the preference range and the name. */
    public MxRecord {
        requireNonNull(exchange, "exchange");
        if (preference < 0 || preference > 65535) {
            throw new IllegalArgumentException("MX preference must be 0..65535 but was " + preference);
        }
    }
}
