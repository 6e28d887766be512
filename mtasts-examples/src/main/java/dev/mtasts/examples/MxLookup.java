package dev.mtasts.examples;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;

/** Where a domain's mail goes: its MX host names, and the addresses to dial for each. Thread-safe. */
public interface MxLookup {
    /** The port MX hosts receive mail on. */
    int SMTP_PORT = 25;

    /**
     * The MX host names of {@code domain}, most preferred first; empty when the domain accepts no
     * mail (a null MX, RFC 7505).
     *
     * @throws IOException when DNS failed for now (defer; never read it as "no MX")
     */
    List<String> mxHosts(String domain) throws IOException;

    /**
     * The addresses and port to dial for one MX host.
     *
     * @throws IOException when DNS failed for now
     */
    List<InetSocketAddress> addresses(String mxHost) throws IOException;

    /**
     * Through the SDK's resolver: MX records by preference, the domain itself when it has none
     * (implicit MX, RFC 5321 §5.1), and each host's A/AAAA addresses on port 25.
     */
    static MxLookup dns(DnsResolver dns) {
        requireNonNull(dns, "dns");
        return new MxLookup() {
            @Override
            public List<String> mxHosts(String domain) throws IOException {
                DnsResult<MxRecord> mx = dns.mx(domain);
                if (mx instanceof DnsResult.Records<MxRecord> records) {
                    return records.values().stream()
                            .sorted(Comparator.comparingInt(MxRecord::preference))
                            .map(MxRecord::exchange)
                            .filter(host -> !host.isEmpty() && !host.equals(".")) // RFC 7505 null MX
                            .toList();
                }
                if (mx instanceof DnsResult.Unavailable<MxRecord> failure) {
                    throw new IOException("MX " + domain + ": " + failure.detail());
                }
                return List.of(domain);
            }

            @Override
            public List<InetSocketAddress> addresses(String mxHost) throws IOException {
                DnsResult<InetAddress> found = dns.addresses(mxHost);
                if (found instanceof DnsResult.Records<InetAddress> records) {
                    return records.values().stream()
                            .map(address -> new InetSocketAddress(address, SMTP_PORT))
                            .toList();
                }
                if (found instanceof DnsResult.Unavailable<InetAddress> failure) {
                    throw new IOException("A/AAAA " + mxHost + ": " + failure.detail());
                }
                return List.of();
            }
        };
    }
}
