package dev.mtasts.checker.internal;

import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.TxtLookup;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS as received, for facts the sender's resolver does not keep: the CNAME chain, the AD bit,
 * and record types MTA-STS itself never asks for (TLSA). Built on dnsjava. Thread-safe.
 *
 * <p>Names are always absolute (no search path). Each query asks for DNSSEC (the DO bit) and sets
 * the AD bit in the header, so a validating resolver says whether it validated the answer (RFC
 * 6840 §5.7, §5.8). A CNAME chain is followed, by asking again when the server's answer stops
 * short, for at most {@link #MAX_CNAMES} links; a loop or a longer chain is a failure.
 */
public final class RawDns {
    /** The longest CNAME chain followed. */
    static final int MAX_CNAMES = 8;

    private final Optional<InetSocketAddress> server;
    private final Resolver resolver;

    private RawDns(Optional<InetSocketAddress> server, Duration timeout) {
        this.server = server;
        Resolver r = server.<Resolver>map(SimpleResolver::new).orElseGet(ExtendedResolver::new);
        r.setTimeout(timeout);
        // DO: ask for DNSSEC, so a validating resolver reports its verdict in AD.
        r.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
        this.resolver = r;
    }

    /** Asking {@code server}, or the system's name servers when empty. */
    public static RawDns create(Optional<InetSocketAddress> server, Duration timeout) {
        requireNonNull(server, "server");
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive but was " + timeout);
        }
        return new RawDns(server, timeout);
    }

    /**
     * Records of {@code type} (a dnsjava {@code Type} mnemonic such as {@code TXT} or {@code TLSA})
     * at {@code name}, following CNAMEs; the DO bit is set so a validating resolver reports the AD
     * bit.
     *
     * @throws IllegalArgumentException if {@code type} is not a record type
     */
    public RawAnswer query(String name, String type) {
        String asked = stripDot(requireNonNull(name, "name"));
        int code = Type.value(requireNonNull(type, "type"));
        if (code < 0) {
            throw new IllegalArgumentException("unknown DNS type '" + type + "'");
        }
        Name current;
        try {
            current = Name.fromString(asked, Name.root);
        } catch (TextParseException e) {
            // Not a name: nothing can exist there (the sender's resolver says the same).
            return new RawAnswer(asked, LookupStatus.NXDOMAIN, List.of(), List.of(), false, Optional.empty());
        }
        List<String> chain = new ArrayList<>();
        Set<Name> seen = new HashSet<>();
        seen.add(current);
        boolean authenticated = true;
        while (true) {
            Message response;
            try {
                response = send(current, code);
            } catch (IOException e) {
                return failed(asked, chain, describe(e));
            }
            int rcode = response.getRcode();
            authenticated &= response.getHeader().getFlag(Flags.AD);
            List<org.xbill.DNS.Record> answer = response.getSection(Section.ANSWER);
            Name asking = current;
            // Walk the chain as far as this answer carries it.
            while (true) {
                List<String> records = recordsOf(answer, current, code);
                if (!records.isEmpty()) {
                    return new RawAnswer(asked, LookupStatus.FOUND, records, chain, authenticated, Optional.empty());
                }
                Optional<Name> target = cnameOf(answer, current);
                if (target.isEmpty()) {
                    break;
                }
                if (chain.isEmpty()) {
                    chain.add(asked);
                }
                chain.add(stripDot(target.get().toString()));
                if (!seen.add(target.get())) {
                    return failed(asked, chain, "CNAME loop: " + String.join(" -> ", chain));
                }
                if (chain.size() > MAX_CNAMES + 1) {
                    return failed(asked, chain, "CNAME chain longer than " + MAX_CNAMES + " links");
                }
                current = target.get();
            }
            if (rcode == Rcode.NXDOMAIN) {
                return new RawAnswer(asked, LookupStatus.NXDOMAIN, List.of(), chain, authenticated, Optional.empty());
            }
            if (rcode != Rcode.NOERROR) {
                return failed(asked, chain, "the server answered " + Rcode.string(rcode));
            }
            if (current.equals(asking)) {
                return new RawAnswer(asked, LookupStatus.NODATA, List.of(), chain, authenticated, Optional.empty());
            }
            // The answer ended in a CNAME whose target it did not resolve (an authoritative server
            // for another zone): ask for the target.
        }
    }

    /** {@link #query} for TXT, as a {@link TxtLookup}. */
    public TxtLookup txt(String name) {
        RawAnswer a = query(name, "TXT");
        return new TxtLookup(a.name(), a.status(), a.records(), a.cnameChain(), a.authenticated(), a.failure());
    }

    private Message send(Name name, int type) throws IOException {
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(name, type, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        return resolver.send(query);
    }

    private static List<String> recordsOf(List<org.xbill.DNS.Record> answer, Name owner, int type) {
        List<String> out = new ArrayList<>();
        for (org.xbill.DNS.Record r : answer) {
            if (r.getType() == type && r.getName().equals(owner)) {
                out.add(data(r));
            }
        }
        return out;
    }

    private static Optional<Name> cnameOf(List<org.xbill.DNS.Record> answer, Name owner) {
        for (org.xbill.DNS.Record r : answer) {
            if (r instanceof CNAMERecord c && r.getName().equals(owner)) {
                return Optional.of(c.getTarget());
            }
        }
        return Optional.empty();
    }

    /** TXT: the character-strings joined, one char per byte, as the sender's resolver reads them. */
    static String data(org.xbill.DNS.Record r) {
        if (r instanceof TXTRecord txt) {
            StringBuilder sb = new StringBuilder();
            for (byte[] part : txt.getStringsAsByteArrays()) {
                sb.append(new String(part, StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }
        return r.rdataToString();
    }

    private static String describe(IOException e) {
        String what = e instanceof InterruptedIOException ? "no answer in time" : "no answer";
        return what + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }

    private RawAnswer failed(String asked, List<String> chain, String why) {
        String from = server.map(s -> " [asked " + s.getHostString() + ":" + s.getPort() + "]")
                .orElse(" [asked the system's DNS servers]");
        return new RawAnswer(asked, LookupStatus.FAILED, List.of(), chain, false, Optional.of(why + from));
    }

    private static String stripDot(String name) {
        return name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
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
