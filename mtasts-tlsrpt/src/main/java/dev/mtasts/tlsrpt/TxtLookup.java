package dev.mtasts.tlsrpt;

import java.io.IOException;
import java.util.List;

/**
 * Looks up TXT records for {@link TlsRptDeliverer} (RPT-TXT-1, RPT-TXT-7); the MTA plugs in its
 * resolver (dnsjava's {@code LookupSession}, for one). Must be thread-safe.
 */
@FunctionalInterface
public interface TxtLookup {
    /**
     * The TXT records at {@code name} (absolute, e.g. {@code _smtp._tls.example.com.}), each with
     * its character-strings joined with nothing between them (RPT-TXT-2).
     *
     * @return the records; empty for NXDOMAIN or NODATA
     * @throws IOException for a temporary failure (SERVFAIL, timeout), which is retried
     */
    List<String> txt(String name) throws IOException;
}
