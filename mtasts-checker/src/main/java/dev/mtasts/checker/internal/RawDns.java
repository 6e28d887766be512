package dev.mtasts.checker.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * DNS as received, for facts the sender's resolver does not keep: the CNAME chain, the AD bit,
 * and record types MTA-STS itself never asks for (TLSA). Built on dnsjava. Thread-safe.
 */
public final class RawDns {
    private final Optional<InetSocketAddress> server;
    private final Duration timeout;

    private RawDns(Optional<InetSocketAddress> server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
    }

    /** Asking {@code server}, or the system's name servers when empty. */
    static RawDns create(Optional<InetSocketAddress> server, Duration timeout) {
        return new RawDns(server, timeout);
    }

    /**
     * Records of {@code type} (a dnsjava {@code Type} mnemonic such as {@code TXT} or {@code TLSA})
     * at {@code name}, following CNAMEs; the DO bit is set so a validating resolver reports the AD
     * bit.
     */
    public RawAnswer query(String name, String type) {
        throw new UnsupportedOperationException("not yet: " + server + " " + timeout);
    }

    /**
     * One answer as received.
     *
     * @param name the name asked
     * @param status how the lookup ended
     * @param records each record's data in presentation form; for TXT, the character-strings joined
     *     with nothing between them, one {@code char} per byte (ISO-8859-1)
     * @param cnameChain the names followed, {@code name} first, empty when no CNAME was involved
     * @param authenticated the AD bit
     * @param failure the rcode or error when {@code status} is FAILED
     */
    public record RawAnswer(
            String name,
            dev.mtasts.checker.LookupStatus status,
            List<String> records,
            List<String> cnameChain,
            boolean authenticated,
            Optional<String> failure) {

        /** Copies. */
        public RawAnswer {
            records = List.copyOf(records);
            cnameChain = List.copyOf(cnameChain);
        }
    }
}
