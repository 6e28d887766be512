package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import dev.mtasts.tlsrpt.TlsRptRecord;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _smtp._tls} record as received and as read.
 *
 * @param lookup the TXT lookup at {@code _smtp._tls.<domain>}
 * @param record the record a reporter would use
 * @param endpoints the rua URIs, as written
 */
public record TlsRptFacts(TxtLookup lookup, Optional<TlsRptRecord> record, List<String> endpoints) {

    /** Validates and copies. */
    public TlsRptFacts {
        requireNonNull(lookup, "lookup");
        requireNonNull(record, "record");
        endpoints = List.copyOf(endpoints);
    }
}
