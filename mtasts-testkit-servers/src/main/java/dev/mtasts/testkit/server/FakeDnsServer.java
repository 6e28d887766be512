package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server on {@code 127.0.0.1}, UDP and TCP on one ephemeral port, answering from
 * a zone set through this API, with scripted faults and delays, recording every query.
 *
 * <p>All names are absolute (a trailing dot is optional) and compared case-insensitively. A name
 * with no records of the asked type answers NODATA (also for empty non-terminals, such as {@code
 * _tls.example.com} when {@code _smtp._tls.example.com} exists); an unknown name answers NXDOMAIN.
 * CNAME chains inside the zone are followed in the answer. Negative answers carry a synthetic SOA.
 * The message wire format is dnsjava's; UDP answers larger than the client's limit (512 bytes, or
 * its EDNS size) are truncated with the TC bit, as a real server would.
 *
 * <p>Records have TTL 0 unless {@link #ttl(Duration)} says otherwise, so that a change made while
 * running is seen at once by caching resolvers.
 *
 * <p>DNSSEC: {@link #signedZone(String)} and {@link #unsignedZone(String)} declare zones. A query
 * with the DO bit for a name in a signed zone is answered as an online signer would: RRSIGs over
 * every RRset, the zone's DNSKEY at its apex, the DS of a signed child zone from the parent, and
 * NSEC "black lies" for denial (see {@link SignedZone}). Queries without the DO bit, and names
 * outside every declared zone, are answered exactly as without DNSSEC.
 *
 * <p>Thread-safe: the zone, faults and delays may change while the server runs.
 */
public final class FakeDnsServer implements Closeable {
    private static final int ANY_TYPE = -1;
    private static final int MAX_CNAME_CHAIN = 16;

    private final Object lock = new Object();
    private final Map<Name, List<org.xbill.DNS.Record>> zone = new LinkedHashMap<>();
    private final Map<Key, DnsFault> faults = new HashMap<>();
    private final Map<Key, Duration> delays = new HashMap<>();
    private final BlockingQueue<RecordedQuery> queryQueue = new LinkedBlockingQueue<>();
    private final List<RecordedQuery> queries = new CopyOnWriteArrayList<>();
    private final ServerSupport support = new ServerSupport("fake-dns");
    private final java.util.Set<Name> authenticatedNames = new java.util.HashSet<>();
    private boolean authenticatedEverywhere;
    private final Map<Name, SignedZone> signedZones = new HashMap<>();
    private final java.util.Set<Name> unsignedZones = new java.util.HashSet<>();
    private volatile Clock clock = Clock.systemUTC();
    private long ttlSeconds;
    private @Nullable DatagramSocket udp;
    private @Nullable ServerSocket tcp;

    private record Key(Name name, int type) {}

    /** A server with an empty zone; {@link #start()} it. */
    public FakeDnsServer() {}

    /**
     * Binds UDP and TCP to one ephemeral port on {@code 127.0.0.1} and starts answering.
     *
     * @throws IllegalStateException if already started or closed, or no port could be bound
     */
    public FakeDnsServer start() {
        synchronized (lock) {
            checkNotStarted();
            for (int attempt = 0; attempt < 50 && udp == null; attempt++) {
                try {
                    bind(new InetSocketAddress(ServerSupport.LOOPBACK, 0));
                } catch (BindException e) {
                    // the UDP port was taken for TCP: try another
                } catch (IOException e) {
                    throw new IllegalStateException("cannot bind the fake DNS server on 127.0.0.1", e);
                }
            }
            if (udp == null) {
                throw new IllegalStateException("no port free for both UDP and TCP on 127.0.0.1 after 50 tries");
            }
            serve();
        }
        return this;
    }

    /**
     * Binds UDP and TCP to exactly {@code address} and starts answering. For clients that cannot be
     * told a port, such as the C library's stub resolver (port 53 only): on Linux any address of
     * {@code 127.0.0.0/8} can be bound, so a test can pick an unused one.
     *
     * @throws IOException if the address cannot be bound for UDP or TCP (e.g. in use, or port 53 without
     *     the privilege)
     * @throws IllegalStateException if already started or closed
     */
    public FakeDnsServer start(InetSocketAddress address) throws IOException {
        requireNonNull(address, "address");
        synchronized (lock) {
            checkNotStarted();
            bind(address);
            serve();
        }
        return this;
    }

    private void checkNotStarted() {
        if (udp != null || support.isClosed()) {
            throw new IllegalStateException("the DNS server was already started or closed");
        }
    }

    /** Binds UDP to {@code address}, then TCP to the same address and port; both or neither. */
    private void bind(InetSocketAddress address) throws IOException {
        DatagramSocket datagram = new DatagramSocket(null);
        ServerSocket server = new ServerSocket();
        try {
            datagram.bind(address);
            server.bind(new InetSocketAddress(address.getAddress(), datagram.getLocalPort()), 50);
        } catch (IOException e) {
            server.close();
            datagram.close();
            throw e;
        }
        udp = support.track(datagram);
        tcp = support.track(server);
    }

    private void serve() {
        DatagramSocket datagram = requireNonNull(udp);
        ServerSocket server = requireNonNull(tcp);
        support.execute(() -> serveUdp(datagram));
        support.execute(() -> acceptTcp(server));
    }

    /**
     * The address to point a resolver at: {@code 127.0.0.1} (or the address given to {@link
     * #start(InetSocketAddress)}) and the port, for UDP and TCP alike.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress address() {
        DatagramSocket datagram = udp;
        if (datagram == null) {
            throw new IllegalStateException("the DNS server is not started");
        }
        InetAddress bound = datagram.getLocalAddress();
        return new InetSocketAddress(
                bound.equals(ServerSupport.LOOPBACK) ? ServerSupport.LOOPBACK : bound, datagram.getLocalPort());
    }

    /** The port (UDP and TCP). */
    public int port() {
        return address().getPort();
    }

    /** The TTL of records added from now on; zero unless set. */
    public FakeDnsServer ttl(Duration ttl) {
        requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ttl must be 0 to 2^31-1 seconds, was " + ttl);
        }
        synchronized (lock) {
            ttlSeconds = ttl.toSeconds();
        }
        return this;
    }

    /**
     * The clock that dates signatures (inception an hour before its instant, expiration a day after);
     * the system UTC clock unless set. A {@link TestClock} lets a test move signatures in time.
     */
    public FakeDnsServer clock(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        return this;
    }

    // ---------------------------------------------------------------- zone

    /**
     * Adds one TXT record made of the given character-strings (each at most 255 bytes of UTF-8, sent
     * as is, no escapes). Several calls add several records to the RRset.
     */
    public FakeDnsServer txt(String name, String... characterStrings) {
        byte[][] strings = new byte[characterStrings.length][];
        for (int i = 0; i < characterStrings.length; i++) {
            strings[i] = requireNonNull(characterStrings[i], "character-string").getBytes(StandardCharsets.UTF_8);
        }
        return txtBytes(name, strings);
    }

    /** Adds one TXT record from raw character-strings (each at most 255 bytes), for non-UTF-8 tests. */
    public FakeDnsServer txtBytes(String name, byte[]... characterStrings) {
        if (characterStrings.length == 0) {
            throw new IllegalArgumentException("a TXT record needs at least one character-string");
        }
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        for (byte[] string : characterStrings) {
            if (string.length > 255) {
                throw new IllegalArgumentException(
                        "a TXT character-string holds at most 255 bytes, was " + string.length + " for " + name);
            }
            rdata.write(string.length);
            rdata.write(string, 0, string.length);
        }
        Name owner = name(name);
        synchronized (lock) {
            add(org.xbill.DNS.Record.newRecord(owner, Type.TXT, DClass.IN, ttlSeconds, rdata.toByteArray()));
        }
        return this;
    }

    /** Adds an MX record. */
    public FakeDnsServer mx(String name, int preference, String exchange) {
        if (preference < 0 || preference > 65535) {
            throw new IllegalArgumentException("MX preference must be 0 to 65535, was " + preference);
        }
        Name owner = name(name);
        Name target = name(exchange);
        synchronized (lock) {
            add(new MXRecord(owner, DClass.IN, ttlSeconds, preference, target));
        }
        return this;
    }

    /** Adds an A record; {@code address} must be an IPv4 literal such as {@code 127.0.0.1}. */
    public FakeDnsServer a(String name, String address) {
        InetAddress parsed = literal(address, 4);
        Name owner = name(name);
        synchronized (lock) {
            add(new ARecord(owner, DClass.IN, ttlSeconds, parsed));
        }
        return this;
    }

    /** Adds an AAAA record; {@code address} must be an IPv6 literal such as {@code ::1}. */
    public FakeDnsServer aaaa(String name, String address) {
        InetAddress parsed = literal(address, 16);
        Name owner = name(name);
        synchronized (lock) {
            add(new AAAARecord(owner, DClass.IN, ttlSeconds, parsed));
        }
        return this;
    }

    /** Sets a CNAME, replacing any earlier one at the name. */
    public FakeDnsServer cname(String name, String target) {
        Name owner = name(name);
        Name to = name(target);
        synchronized (lock) {
            remove(owner, Type.CNAME);
            add(new CNAMERecord(owner, DClass.IN, ttlSeconds, to));
        }
        return this;
    }

    /**
     * Adds one record of any type from its presentation form, parsed by dnsjava (for types without
     * their own method, such as {@code TLSA}): {@code record("_25._tcp.mx.example.com", "TLSA", "3 1
     * 1 0123...")}.
     *
     * @throws IllegalArgumentException if the type is unknown or the data does not parse
     */
    public FakeDnsServer record(String name, String type, String rdataPresentation) {
        Name owner = name(name);
        int code = type(type);
        requireNonNull(rdataPresentation, "rdataPresentation");
        synchronized (lock) {
            try {
                add(org.xbill.DNS.Record.fromString(owner, code, DClass.IN, ttlSeconds, rdataPresentation, Name.root));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "not " + type + " data: '" + rdataPresentation + "' (" + e.getMessage() + ")", e);
            }
        }
        return this;
    }

    /**
     * Marks answers for the name (any type, including negative answers) as DNSSEC-validated: they
     * carry the AD bit when the query set AD or DO, as a validating resolver does (RFC 6840 §5.7,
     * §5.8). Off for every name unless set.
     */
    public FakeDnsServer authenticated(String name, boolean authenticated) {
        Name owner = name(name);
        synchronized (lock) {
            if (authenticated) {
                authenticatedNames.add(owner);
            } else {
                authenticatedNames.remove(owner);
            }
        }
        return this;
    }

    /** {@link #authenticated(String, boolean)} for every name at once (names set singly stay marked). */
    public FakeDnsServer authenticated(boolean everywhere) {
        synchronized (lock) {
            authenticatedEverywhere = everywhere;
        }
        return this;
    }

    /**
     * Signs the zone at {@code apex} from now on (see {@link SignedZone}); a name belongs to the
     * deepest signed or unsigned zone whose apex is the name or a parent of it. Idempotent: the same
     * zone is returned for the same apex.
     */
    public SignedZone signedZone(String apex) {
        Name name = name(apex);
        synchronized (lock) {
            if (unsignedZones.contains(name)) {
                throw new IllegalStateException(apex + " is already declared as an unsigned zone");
            }
            return signedZones.computeIfAbsent(
                    name, n -> new SignedZone(n, ttlSeconds, owner -> n.equals(deepestZone(owner))));
        }
    }

    /**
     * Declares an unsigned zone at {@code apex} below a signed one: the parent securely proves it has
     * no DS (an unsigned delegation), so a validator finds the zone's answers insecure.
     *
     * @throws IllegalStateException if no signed zone is a parent of {@code apex}
     */
    public FakeDnsServer unsignedZone(String apex) {
        Name name = name(apex);
        synchronized (lock) {
            if (signedZones.containsKey(name)) {
                throw new IllegalStateException(apex + " is already declared as a signed zone");
            }
            Name parent = name.labels() > 1 ? zoneApexOf(new Name(name, 1)) : null;
            if (parent == null || !signedZones.containsKey(parent)) {
                throw new IllegalStateException("no signed zone is the nearest parent of " + apex
                        + " (declared zones: " + signedZones.keySet() + " signed, " + unsignedZones
                        + " unsigned): nothing could prove its delegation insecure");
            }
            unsignedZones.add(name);
        }
        return this;
    }

    /** Removes every record at the name. */
    public FakeDnsServer remove(String name) {
        Name owner = name(name);
        synchronized (lock) {
            zone.remove(owner);
        }
        return this;
    }

    /** Removes the records of one type (mnemonic such as {@code TXT}) at the name. */
    public FakeDnsServer remove(String name, String type) {
        Name owner = name(name);
        int code = type(type);
        synchronized (lock) {
            remove(owner, code);
        }
        return this;
    }

    /**
     * Empties the zone and removes every fault and delay, DNSSEC faults included; recorded queries
     * and declared zones (with their keys) are kept.
     */
    public FakeDnsServer reset() {
        synchronized (lock) {
            zone.clear();
            faults.clear();
            delays.clear();
            signedZones.values().forEach(SignedZone::clearFaults);
            authenticatedNames.clear();
            authenticatedEverywhere = false;
        }
        return this;
    }

    /** The records at a name in presentation format, for diagnostics. */
    public List<String> records(String name) {
        Name owner = name(name);
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            for (org.xbill.DNS.Record record : zone.getOrDefault(owner, List.of())) {
                out.add(record.toString());
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- faults

    /** Answers every query for the name, of any type, with the fault until cleared. */
    public FakeDnsServer fault(String name, DnsFault fault) {
        return putFault(new Key(name(name), ANY_TYPE), fault);
    }

    /** Answers queries for the name and type (mnemonic such as {@code TXT}) with the fault until cleared. */
    public FakeDnsServer fault(String name, String type, DnsFault fault) {
        return putFault(new Key(name(name), type(type)), fault);
    }

    private FakeDnsServer putFault(Key key, DnsFault fault) {
        requireNonNull(fault, "fault");
        synchronized (lock) {
            faults.put(key, fault);
        }
        return this;
    }

    /** Removes the faults and delays set for the name (all types). */
    public FakeDnsServer clearFaults(String name) {
        Name owner = name(name);
        synchronized (lock) {
            faults.keySet().removeIf(key -> key.name().equals(owner));
            delays.keySet().removeIf(key -> key.name().equals(owner));
        }
        return this;
    }

    /** Delays every answer for the name (any type) by {@code delay}. */
    public FakeDnsServer delay(String name, Duration delay) {
        return putDelay(new Key(name(name), ANY_TYPE), delay);
    }

    /** Delays answers for the name and type by {@code delay}. */
    public FakeDnsServer delay(String name, String type, Duration delay) {
        return putDelay(new Key(name(name), type(type)), delay);
    }

    private FakeDnsServer putDelay(Key key, Duration delay) {
        requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        synchronized (lock) {
            delays.put(key, delay);
        }
        return this;
    }

    // ---------------------------------------------------------------- recording

    /**
     * The next query not yet taken, in arrival order, waiting up to 10 seconds.
     *
     * @throws AssertionError if none arrives in time
     */
    public RecordedQuery takeQuery() {
        return pollQuery(Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("no DNS query arrived within 10 s"));
    }

    /** The next query not yet taken, waiting up to {@code timeout}. */
    public Optional<RecordedQuery> pollQuery(Duration timeout) {
        return ServerSupport.poll(queryQueue, timeout);
    }

    /** Every query received so far, in arrival order (taking does not remove from this list). */
    public List<RecordedQuery> queries() {
        return List.copyOf(queries);
    }

    /** How many queries for the name (any case, trailing dot optional) and type arrived. */
    public long queryCount(String name, String type) {
        return queries.stream().filter(q -> q.is(name, type)).count();
    }

    /** Stops answering and releases the port and threads. Idempotent. */
    @Override
    public void close() {
        support.close();
    }

    @Override
    public String toString() {
        DatagramSocket datagram = udp;
        return "FakeDnsServer{" + (datagram == null ? "not started" : "127.0.0.1:" + datagram.getLocalPort()) + "}";
    }

    // ---------------------------------------------------------------- serving

    private void serveUdp(DatagramSocket socket) {
        byte[] buffer = new byte[65535];
        while (!support.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            byte[] query = java.util.Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getLength());
            SocketAddress client = packet.getSocketAddress();
            Answer answer = answer(query, RecordedQuery.Transport.UDP);
            if (answer == null) {
                continue;
            }
            Runnable send = () -> {
                try {
                    socket.send(new DatagramPacket(answer.wire, answer.wire.length, client));
                } catch (IOException e) {
                    // the server closed meanwhile
                }
            };
            if (answer.delay.isZero()) {
                send.run();
            } else {
                support.execute(() -> {
                    if (support.pause(answer.delay)) {
                        send.run();
                    }
                });
            }
        }
    }

    private void acceptTcp(ServerSocket server) {
        while (!support.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            support.track(socket);
            support.execute(() -> serveTcp(socket));
        }
    }

    private void serveTcp(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (!support.isClosed()) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] query = new byte[length];
                in.readFully(query);
                Answer answer = answer(query, RecordedQuery.Transport.TCP);
                if (answer == null) {
                    continue; // TIMEOUT: keep the connection, never answer
                }
                if (!support.pause(answer.delay)) {
                    return;
                }
                synchronized (out) {
                    out.writeShort(answer.wire.length);
                    out.write(answer.wire);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away or the server closed
        } finally {
            support.untrack(socket);
        }
    }

    private static final class Answer {
        final byte[] wire;
        final Duration delay;

        Answer(byte[] wire, Duration delay) {
            this.wire = wire;
            this.delay = delay;
        }
    }

    /** The answer to one query, or null for none (unparseable input, or the TIMEOUT fault). */
    private @Nullable Answer answer(byte[] wire, RecordedQuery.Transport transport) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return null;
        }
        org.xbill.DNS.Record question = query.getQuestion();
        Header header = query.getHeader();
        if (question == null || header.getFlag(Flags.QR)) {
            return null;
        }
        OPTRecord opt = query.getOPT();
        RecordedQuery recorded = new RecordedQuery(
                question.getName().toString(),
                Type.string(question.getType()),
                transport,
                header.getID(),
                header.getFlag(Flags.RD),
                opt != null);
        queries.add(recorded);
        queryQueue.add(recorded);

        Message response = new Message(header.getID());
        Header out = response.getHeader();
        out.setFlag(Flags.QR);
        out.setFlag(Flags.AA);
        out.setFlag(Flags.RA);
        if (header.getFlag(Flags.RD)) {
            out.setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        if (opt != null) {
            // RFC 3225 §3: the DO bit is copied into the response
            response.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        Name name = question.getName();
        int type = question.getType();
        DnsFault fault;
        Duration delay;
        synchronized (lock) {
            fault = faults.getOrDefault(new Key(name, type), faults.get(new Key(name, ANY_TYPE)));
            delay = delays.getOrDefault(
                    new Key(name, type), delays.getOrDefault(new Key(name, ANY_TYPE), Duration.ZERO));
            if (fault == null) {
                if (dnssecOk) {
                    resolveDnssec(name, type, response, clock.instant());
                } else {
                    resolve(name, type, response);
                }
                boolean wantsAd = header.getFlag(Flags.AD) || dnssecOk;
                if (wantsAd && (authenticatedEverywhere || authenticatedNames.contains(name))) {
                    out.setFlag(Flags.AD);
                }
            } else {
                switch (fault) {
                    case TIMEOUT -> {
                        return null;
                    }
                    case SERVFAIL -> out.setRcode(Rcode.SERVFAIL);
                    case REFUSED -> out.setRcode(Rcode.REFUSED);
                    case NXDOMAIN -> {
                        out.setRcode(Rcode.NXDOMAIN);
                        response.addRecord(soa(name), Section.AUTHORITY);
                    }
                    case NODATA -> response.addRecord(soa(name), Section.AUTHORITY);
                    case TRUNCATE -> {
                        if (transport == RecordedQuery.Transport.UDP) {
                            out.setFlag(Flags.TC);
                        } else {
                            resolve(name, type, response);
                        }
                    }
                }
            }
        }
        int limit = 65535;
        if (transport == RecordedQuery.Transport.UDP) {
            limit = opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), 65535));
        }
        return new Answer(response.toWire(limit), delay);
    }

    /** Fills the answer from the zone, following CNAMEs. Caller holds the lock. */
    private void resolve(Name name, int type, Message response) {
        Name current = name;
        for (int hops = 0; hops < MAX_CNAME_CHAIN; hops++) {
            List<org.xbill.DNS.Record> records = zone.get(current);
            if (records == null || records.isEmpty()) {
                if (!hasDescendant(current)) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                response.addRecord(soa(current), Section.AUTHORITY);
                return;
            }
            boolean found = false;
            org.xbill.DNS.Record cname = null;
            for (org.xbill.DNS.Record record : records) {
                if (record.getType() == type || type == Type.ANY) {
                    response.addRecord(record, Section.ANSWER);
                    found = true;
                } else if (record.getType() == Type.CNAME) {
                    cname = record;
                }
            }
            if (found) {
                return;
            }
            if (cname == null) {
                response.addRecord(soa(current), Section.AUTHORITY);
                return;
            }
            response.addRecord(cname, Section.ANSWER);
            current = ((CNAMERecord) cname).getTarget();
        }
    }

    /**
     * Fills the answer for a query with the DO bit: inside declared zones as their signer (or, for an
     * unsigned zone, their unsigned server) would, outside them as {@link #resolve}. Caller holds
     * the lock.
     */
    private void resolveDnssec(Name name, int type, Message response, Instant now) {
        Name current = name;
        for (int hops = 0; hops < MAX_CNAME_CHAIN; hops++) {
            Name apex = responsibleApex(current, type);
            if (apex == null) {
                resolve(current, type, response);
                return;
            }
            SignedZone signer = signedZones.get(apex);
            // a DS query at a child apex is the parent's to answer, from above the zone cut
            boolean delegation = type == Type.DS && isDeclaredApex(current) && !apex.equals(current);
            List<org.xbill.DNS.Record> records = delegation ? delegationRecords(current) : zoneRecords(current, apex);
            List<org.xbill.DNS.Record> matching = new ArrayList<>();
            org.xbill.DNS.Record cname = null;
            for (org.xbill.DNS.Record record : records) {
                if (record.getType() == type || type == Type.ANY) {
                    matching.add(record);
                } else if (record.getType() == Type.CNAME && !delegation) {
                    cname = record;
                }
            }
            if (!matching.isEmpty()) {
                addRRsets(response, Section.ANSWER, matching, signer, now);
                return;
            }
            if (cname == null) {
                deny(current, apex, signer, records, delegation, response, now);
                return;
            }
            addRRsets(response, Section.ANSWER, List.of(cname), signer, now);
            current = ((CNAMERecord) cname).getTarget();
        }
    }

    /**
     * The negative answer: in a signed zone a "black lie", NOERROR with an NSEC at the name listing
     * the types it has (none but RRSIG and NSEC for a name that does not exist), so that no other
     * name of the zone need be revealed or signed; in an unsigned zone NXDOMAIN or NODATA with the
     * zone's SOA.
     */
    private void deny(
            Name owner,
            Name apex,
            @Nullable SignedZone signer,
            List<org.xbill.DNS.Record> records,
            boolean delegation,
            Message response,
            Instant now) {
        if (signer == null) {
            if (records.isEmpty() && !hasDescendant(owner)) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            response.addRecord(soaAt(apex), Section.AUTHORITY);
            return;
        }
        java.util.Set<Integer> types = new java.util.TreeSet<>();
        if (delegation) {
            types.add(Type.NS);
        } else {
            records.forEach(r -> types.add(r.getType()));
        }
        types.add(Type.RRSIG);
        types.add(Type.NSEC);
        Name next;
        try {
            next = Name.concatenate(Name.fromConstantString("\\000"), owner);
        } catch (org.xbill.DNS.NameTooLongException e) {
            next = apex; // any name after the owner will do; the apex wraps the zone around
        }
        NSECRecord nsec = new NSECRecord(
                owner,
                DClass.IN,
                ttlSeconds,
                next,
                types.stream().mapToInt(Integer::intValue).toArray());
        addRRsets(response, Section.AUTHORITY, List.of(soaAt(apex)), signer, now);
        addRRsets(response, Section.AUTHORITY, List.of(nsec), signer, now);
    }

    /** Adds the records, grouped into RRsets, each followed by its RRSIG when the zone is signed. */
    private static void addRRsets(
            Message response,
            int section,
            List<org.xbill.DNS.Record> records,
            @Nullable SignedZone signer,
            Instant now) {
        Map<Key, RRset> sets = new LinkedHashMap<>();
        for (org.xbill.DNS.Record record : records) {
            sets.computeIfAbsent(new Key(record.getName(), record.getType()), k -> new RRset())
                    .addRR(record);
        }
        for (RRset set : sets.values()) {
            for (org.xbill.DNS.Record record : set.rrs(false)) {
                response.addRecord(record, section);
            }
            if (signer != null) {
                response.addRecord(signer.sign(set, now), section);
            }
        }
    }

    /** The records at a name inside the zone at {@code apex}, with the apex's SOA and DNSKEY. */
    private List<org.xbill.DNS.Record> zoneRecords(Name name, Name apex) {
        List<org.xbill.DNS.Record> records = new ArrayList<>(zone.getOrDefault(name, List.of()));
        if (name.equals(apex)) {
            records.add(soaAt(apex));
            SignedZone signed = signedZones.get(apex);
            if (signed != null) {
                records.add(signed.dnskeyRecord());
            }
        }
        return records;
    }

    /** What the parent holds at a child zone's apex: the child's DS, if it is signed and published. */
    private List<org.xbill.DNS.Record> delegationRecords(Name childApex) {
        SignedZone child = signedZones.get(childApex);
        if (child == null || child.has(DnssecFault.MISSING_DS)) {
            return List.of();
        }
        return List.of(child.publishedDs());
    }

    /** The declared zone answering for the name and type (for DS at a child apex, the parent). */
    private @Nullable Name responsibleApex(Name name, int type) {
        if (type == Type.DS && isDeclaredApex(name) && name.labels() > 1) {
            Name parent = zoneApexOf(new Name(name, 1));
            if (parent != null) {
                return parent;
            }
        }
        return zoneApexOf(name);
    }

    /** The deepest declared zone whose apex is the name or one of its parents. */
    private @Nullable Name zoneApexOf(Name name) {
        Name candidate = name;
        while (true) {
            if (isDeclaredApex(candidate)) {
                return candidate;
            }
            if (candidate.labels() <= 1) {
                return null;
            }
            candidate = new Name(candidate, 1);
        }
    }

    private @Nullable Name deepestZone(Name name) {
        synchronized (lock) {
            return zoneApexOf(name);
        }
    }

    private boolean isDeclaredApex(Name name) {
        return signedZones.containsKey(name) || unsignedZones.contains(name);
    }

    private boolean hasDescendant(Name name) {
        for (Map.Entry<Name, List<org.xbill.DNS.Record>> entry : zone.entrySet()) {
            if (!entry.getValue().isEmpty()
                    && entry.getKey().subdomain(name)
                    && !entry.getKey().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private SOARecord soa(Name name) {
        return soaAt(name.labels() > 3 ? new Name(name, name.labels() - 3) : name);
    }

    private SOARecord soaAt(Name apex) {
        try {
            return new SOARecord(
                    apex,
                    DClass.IN,
                    ttlSeconds,
                    Name.concatenate(Name.fromConstantString("ns"), apex),
                    Name.concatenate(Name.fromConstantString("hostmaster"), apex),
                    1,
                    3600,
                    600,
                    86400,
                    ttlSeconds);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return new SOARecord(
                    Name.root, DClass.IN, ttlSeconds, Name.root, Name.root, 1, 3600, 600, 86400, ttlSeconds);
        }
    }

    private void add(org.xbill.DNS.Record record) {
        zone.computeIfAbsent(record.getName(), n -> new ArrayList<>()).add(record);
    }

    private void remove(Name owner, int type) {
        List<org.xbill.DNS.Record> records = zone.get(owner);
        if (records != null) {
            records.removeIf(r -> r.getType() == type);
            if (records.isEmpty()) {
                zone.remove(owner);
            }
        }
    }

    static Name name(String name) {
        requireNonNull(name, "name");
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: '" + name + "' (" + e.getMessage() + ")", e);
        }
    }

    private static int type(String type) {
        requireNonNull(type, "type");
        int code = Type.value(type);
        if (code < 0) {
            throw new IllegalArgumentException("unknown DNS type '" + type + "'");
        }
        return code;
    }

    private static InetAddress literal(String address, int length) {
        requireNonNull(address, "address");
        byte[] bytes = length == 4
                ? org.xbill.DNS.Address.toByteArray(address, org.xbill.DNS.Address.IPv4)
                : org.xbill.DNS.Address.toByteArray(address, org.xbill.DNS.Address.IPv6);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "not an IPv" + (length == 4 ? "4" : "6") + " address literal: '" + address + "'");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address '" + address + "'", e);
        }
    }
}
