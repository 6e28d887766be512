package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

/**
 * One query the {@link FakeDnsServer} received.
 *
 * @param name the question name as received, absolute, with its trailing dot (e.g. {@code
 *     _mta-sts.example.com.})
 * @param type the question type mnemonic (e.g. {@code TXT})
 * @param transport UDP or TCP
 * @param id the DNS message id
 * @param recursionDesired whether the RD bit was set
 * @param edns whether the query carried an EDNS OPT record
 */
public record RecordedQuery(
        String name, String type, RecordedQuery.Transport transport, int id, boolean recursionDesired, boolean edns) {

    /** The transport a query came over. */
    public enum Transport {
        /** A UDP datagram. */
        UDP,
        /** A TCP connection (RFC 7766 framing). */
        TCP
    }

    /** Validates the components. */
    public RecordedQuery {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        requireNonNull(transport, "transport");
    }

    /** Whether this query asks about {@code name} (absolute or not, any case) and {@code type}. */
    public boolean is(String name, String type) {
        String wanted = name.endsWith(".") ? name : name + ".";
        return this.name.equalsIgnoreCase(wanted) && this.type.equalsIgnoreCase(type);
    }
}
