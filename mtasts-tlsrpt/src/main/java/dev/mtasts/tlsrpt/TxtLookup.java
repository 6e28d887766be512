package dev.mtasts.tlsrpt;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import java.io.IOException;
import java.util.List;

/**
 * Looks up TXT records for {@link TlsRptDeliverer} (RPT-TXT-1, RPT-TXT-7). {@link #of(DnsResolver)}
 * adapts the core's resolver; an MTA may plug in its own. Must be thread-safe.
 */
@FunctionalInterface
public interface TxtLookup {
    /**
     * The TXT records at {@code name} (e.g. {@code _smtp._tls.example.com}, no trailing dot, always
     * looked up as an absolute name), each with its character-strings joined with nothing between
     * them (RPT-TXT-2).
     *
     * @return the records; empty for NXDOMAIN or NODATA
     * @throws IOException for a temporary failure (SERVFAIL, timeout), which is retried
     */
    List<String> txt(String name) throws IOException;

    /** Lookups through the core's {@link DnsResolver}; a temporary failure becomes an {@link IOException}. */
    static TxtLookup of(DnsResolver resolver) {
        return name -> {
            DnsResult<String> result = resolver.txt(name);
            if (result instanceof DnsResult.Records<String> records) {
                return records.values();
            }
            if (result instanceof DnsResult.Unavailable<String> failure) {
                throw new IOException(failure.kind() + ": " + failure.detail());
            }
            return List.of();
        };
    }
}
