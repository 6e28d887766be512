package dev.mtasts.testkit;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.testkit.server.FakeDnsServer;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * A whole MTA-STS world on loopback, described once and started together: a {@link FakeDnsServer},
 * one {@link FakePolicyHost} for every domain, a {@link FakeSmtpServer} per MX host, and the {@link
 * TestCertificateAuthority} behind all their certificates.
 *
 * <pre>{@code
 * try (MtaStsWorld world = MtaStsWorld.builder()
 *         .domain("example.com", d -> d
 *                 .mx(10, "mx1.example.com")
 *                 .mx(20, "mx2.example.com")
 *                 .policy(Mode.ENFORCE, "mx1.example.com", "*.example.com")
 *                 .maxAge(Duration.ofDays(1))
 *                 .stsId("20240101")
 *                 .tlsRpt("https://tlsrpt.example.com/report"))
 *         .build()
 *         .start()) {
 *     // point the code under test at world.dnsAddress(), world.policyHostPort(), world.clientSslContext()
 * }
 * }</pre>
 *
 * <p>For each domain {@code d}, {@link #start()} publishes: {@code _mta-sts.d TXT "v=STSv1; id=<id>;"}
 * (when it has a policy), {@code mta-sts.d A 127.0.0.1}, its MX records, {@code A 127.0.0.1} for each
 * MX host, and {@code _smtp._tls.d TXT "v=TLSRPTv1; rua=..."} (when it has TLSRPT); the policy host
 * serves the policy for {@code mta-sts.d} with a certificate for that name; each MX host gets an SMTP
 * server with STARTTLS and a certificate for its name. All addresses are {@code 127.0.0.1}: the
 * ports differ, see {@link #policyHostPort()} and {@link #smtp(String)}.
 *
 * <p>DNSSEC and DANE ({@link DomainSpec#dane()}): the top-level domain of every DANE domain and of
 * each of its MX hosts becomes a signed zone and a trust anchor ({@link #dnssecTrustAnchors()}); each
 * DANE domain is a signed child zone of it, and each of its MX hosts publishes {@code _25._tcp.<mx>
 * TLSA 3 1 1} for the certificate its SMTP server has when the domain is added. A domain without
 * {@code dane()} under a signed top-level domain is declared an unsigned zone (the parent proves it
 * has no DS), so its answers stay insecure, as they would be without DNSSEC; unless a DANE domain or
 * a DANE domain's MX host lies inside it, in which case it stays in its parent's signed zone. Faults
 * are set through the server: {@code world.dns().signedZone("example.com").fault(...)}.
 *
 * <p>Thread-safe. Policies and records may change while running ({@link #policy(String, Policy)},
 * {@link #stsId(String, String)}, {@link #removeStsRecord(String)}, or the servers' own APIs).
 */
public final class MtaStsWorld implements Closeable {
    /** The address every name of the world resolves to. */
    public static final String LOOPBACK = "127.0.0.1";

    private final TestCertificateAuthority ca;
    private final FakeDnsServer dns = new FakeDnsServer();
    private final FakePolicyHost policyHost;
    private final Map<String, FakeSmtpServer> smtp = new LinkedHashMap<>();
    private final Map<String, DomainState> domains = new LinkedHashMap<>();
    /** The signed top-level zones, the world's trust anchors, in order of appearance. */
    private final Set<String> anchorZones = new LinkedHashSet<>();
    /** Names DNSSEC must keep secure: DANE domains and their MX hosts. */
    private final Set<String> daneNames = new LinkedHashSet<>();

    private final Set<String> tlsaPublished = new LinkedHashSet<>();
    private final Set<String> unsignedDeclared = new LinkedHashSet<>();
    private boolean started;
    private boolean closed;

    private static final class DomainState {
        final String domain;
        final List<DomainSpec.Mx> mx;

        @Nullable
        Policy policy;

        String stsId;
        final List<String> tlsRpt;
        final boolean dane;

        DomainState(DomainSpec spec) {
            this.dane = spec.dane;
            this.domain = spec.domain;
            this.mx = List.copyOf(spec.mx);
            this.policy = spec.policy();
            this.stsId = spec.stsId;
            this.tlsRpt = List.copyOf(spec.tlsRpt);
        }
    }

    private MtaStsWorld(Builder builder) {
        this.ca = builder.ca != null ? builder.ca : TestCertificateAuthority.create();
        this.policyHost = new FakePolicyHost(ca);
        for (DomainSpec spec : builder.domains.values()) {
            addDomainLocked(spec);
        }
    }

    /** A builder for a world. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts DNS, the policy host and every SMTP server, and publishes every record.
     *
     * @throws IllegalStateException if already started or closed
     */
    public synchronized MtaStsWorld start() {
        if (started || closed) {
            throw new IllegalStateException("the world was already started or closed");
        }
        started = true;
        try {
            dns.start();
            policyHost.start();
            for (FakeSmtpServer server : smtp.values()) {
                server.start();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Whether {@link #start()} ran and {@link #close()} did not. */
    public synchronized boolean isRunning() {
        return started && !closed;
    }

    /** Stops every server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FakeSmtpServer server : smtp.values()) {
            server.close();
        }
        policyHost.close();
        dns.close();
    }

    /**
     * Adds a domain, also while running (its SMTP servers start at once).
     *
     * @throws IllegalArgumentException if the domain already exists
     */
    public synchronized MtaStsWorld addDomain(String domain, Consumer<DomainSpec> description) {
        DomainSpec spec = new DomainSpec(domain);
        description.accept(spec);
        addDomainLocked(spec);
        if (started && !closed) {
            for (DomainSpec.Mx mx : spec.mx) {
                FakeSmtpServer server = smtp.get(mx.host);
                if (server != null) {
                    try {
                        server.port();
                    } catch (IllegalStateException notStarted) {
                        server.start();
                    }
                }
            }
        }
        return this;
    }

    private void addDomainLocked(DomainSpec spec) {
        if (domains.containsKey(spec.domain)) {
            throw new IllegalArgumentException("domain '" + spec.domain + "' is already in the world");
        }
        DomainState state = new DomainState(spec);
        domains.put(spec.domain, state);
        String d = state.domain;
        dns.a("mta-sts." + d, LOOPBACK);
        for (DomainSpec.Mx mx : state.mx) {
            dns.mx(d, mx.preference, mx.host);
            if (!smtp.containsKey(mx.host)) {
                dns.a(mx.host, LOOPBACK);
                smtp.put(
                        mx.host,
                        new FakeSmtpServer(mx.host, ca.issue().dnsNames(mx.host).build()));
            }
        }
        if (!state.tlsRpt.isEmpty()) {
            dns.txt("_smtp._tls." + d, "v=TLSRPTv1; rua=" + String.join(",", state.tlsRpt));
        }
        policyHost.addHost(d);
        if (state.policy != null) {
            policyHost.policy(d, state.policy.text());
            dns.txt("_mta-sts." + d, stsRecord(state.stsId));
        }
        if (state.dane) {
            publishDane(state);
        }
        declareUnsignedDomains();
    }

    /** Signs the domain's zone under its top-level zone and publishes a TLSA record per MX host. */
    private void publishDane(DomainState state) {
        signTopLevel(state.domain);
        daneNames.add(state.domain);
        if (!anchorZones.contains(state.domain)) {
            dns.signedZone(state.domain);
        }
        for (DomainSpec.Mx mx : state.mx) {
            signTopLevel(mx.host);
            daneNames.add(mx.host);
            FakeSmtpServer server = smtp.get(mx.host);
            if (server != null && tlsaPublished.add(mx.host)) {
                server.certificate().ifPresent(cert -> dns.record("_25._tcp." + mx.host, "TLSA", cert.tlsa(3, 1, 1)));
            }
        }
    }

    private void signTopLevel(String name) {
        String tld = name.substring(name.lastIndexOf('.') + 1);
        if (anchorZones.add(tld)) {
            dns.signedZone(tld);
        }
    }

    /**
     * Keeps domains without DANE insecure under a signed top-level zone: each becomes an unsigned
     * zone, unless DANE names lie inside it (they must stay secure) or an enclosing domain already is
     * one.
     */
    private void declareUnsignedDomains() {
        for (DomainState other : domains.values()) {
            String d = other.domain;
            String tld = d.substring(d.lastIndexOf('.') + 1);
            if (other.dane
                    || d.equals(tld)
                    || !anchorZones.contains(tld)
                    || unsignedDeclared.contains(d)
                    || daneNames.stream().anyMatch(n -> within(n, d))
                    || unsignedDeclared.stream().anyMatch(u -> within(d, u))) {
                continue;
            }
            dns.unsignedZone(d);
            unsignedDeclared.add(d);
        }
    }

    /** Whether {@code name} is {@code zone} or below it. */
    private static boolean within(String name, String zone) {
        return name.equals(zone) || name.endsWith("." + zone);
    }

    private static String stsRecord(String id) {
        return "v=STSv1; id=" + id + ";";
    }

    // ---------------------------------------------------------------- access

    /** The DNS server's address: {@code 127.0.0.1} and its port, UDP and TCP. */
    public InetSocketAddress dnsAddress() {
        return dns.address();
    }

    /**
     * The DNSSEC trust anchor of the world's signed zones (DS records in presentation form, one per
     * line), for {@code TrustAnchors.parse}; empty when no domain uses {@link DomainSpec#dane()}.
     */
    public synchronized String dnssecTrustAnchors() {
        List<String> lines = new ArrayList<>();
        for (String zone : anchorZones) {
            lines.add(dns.signedZone(zone).trustAnchor());
        }
        return String.join("\n", lines);
    }

    /** The DNS server, to change records or add faults. */
    public FakeDnsServer dns() {
        return dns;
    }

    /** The HTTPS policy host of every domain. */
    public FakePolicyHost policyHost() {
        return policyHost;
    }

    /** The policy host's port on {@code 127.0.0.1}: where the fetcher must connect instead of 443. */
    public int policyHostPort() {
        return policyHost.port();
    }

    /**
     * A fetcher builder that reaches this world's policy host through the test seam: names resolved
     * with {@code dns} (point it at {@link #dnsAddress()}), connections to {@link #policyHostPort()}
     * on loopback (allowed, which production never does), the certificate checked for {@code
     * mta-sts.<domain>} against the world's CA. Set a timeout or anything else on it, then build.
     */
    public PolicyFetcher.Builder policyFetcher(DnsResolver dns) {
        requireNonNull(dns, "dns");
        return PolicyFetcher.https()
                .dns(dns)
                .sslContext(clientSslContext())
                .port(policyHostPort())
                .allowLoopback();
    }

    /**
     * The SMTP server of an MX host.
     *
     * @throws IllegalArgumentException if no domain has that MX host
     */
    public synchronized FakeSmtpServer smtp(String mxHost) {
        FakeSmtpServer server = smtp.get(normalize(mxHost));
        if (server == null) {
            throw new IllegalArgumentException("no MX host '" + mxHost + "' in the world; known: " + smtp.keySet());
        }
        return server;
    }

    /** Every MX host, lower case, in order of appearance. */
    public synchronized List<String> mxHosts() {
        return List.copyOf(smtp.keySet());
    }

    /** Every domain, lower case, in order of appearance. */
    public synchronized List<String> domains() {
        return List.copyOf(domains.keySet());
    }

    /** The CA behind every certificate of the world. */
    public TestCertificateAuthority certificateAuthority() {
        return ca;
    }

    /** A client context trusting only the world's CA. */
    public SSLContext clientSslContext() {
        return ca.clientSslContext();
    }

    /** A trust manager trusting only the world's CA. */
    public X509ExtendedTrustManager trustManager() {
        return ca.trustManager();
    }

    // ---------------------------------------------------------------- changes while running

    /** The policy the domain's host serves now, if it has one. */
    public synchronized Optional<Policy> policy(String domain) {
        return Optional.ofNullable(state(domain).policy);
    }

    /** The policy id in the domain's {@code _mta-sts} TXT record now, if published. */
    public synchronized Optional<String> stsId(String domain) {
        DomainState state = state(domain);
        return state.policy == null ? Optional.empty() : Optional.of(state.stsId);
    }

    /**
     * Serves a new policy for the domain. The TXT id does not change: call {@link #stsId(String,
     * String)} too, as a real publisher must (RFC 8461 §3.1).
     */
    public synchronized MtaStsWorld policy(String domain, Policy policy) {
        requireNonNull(policy, "policy");
        DomainState state = state(domain);
        boolean hadPolicy = state.policy != null;
        state.policy = policy;
        policyHost.policy(state.domain, policy.text());
        if (!hadPolicy) {
            dns.txt("_mta-sts." + state.domain, stsRecord(state.stsId));
        }
        return this;
    }

    /** Publishes {@code v=STSv1; id=<id>;} as the domain's only {@code _mta-sts} TXT record. */
    public synchronized MtaStsWorld stsId(String domain, String id) {
        DomainState state = state(domain);
        state.stsId = DomainSpec.checkId(id);
        dns.remove("_mta-sts." + state.domain, "TXT");
        dns.txt("_mta-sts." + state.domain, stsRecord(id));
        return this;
    }

    /** Removes the domain's {@code _mta-sts} TXT record (the policy host keeps serving). */
    public synchronized MtaStsWorld removeStsRecord(String domain) {
        dns.remove("_mta-sts." + state(domain).domain, "TXT");
        return this;
    }

    /** Makes the domain's policy host answer 404 from now on. */
    public synchronized MtaStsWorld removePolicy(String domain) {
        DomainState state = state(domain);
        state.policy = null;
        policyHost.removePolicy(state.domain);
        return this;
    }

    private DomainState state(String domain) {
        DomainState state = domains.get(normalize(domain));
        if (state == null) {
            throw new IllegalArgumentException("no domain '" + domain + "' in the world; known: " + domains.keySet());
        }
        return state;
    }

    static String normalize(String name) {
        requireNonNull(name, "name");
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    /** A policy domain, normalized and refused early with the policy host's own rule. */
    static String domainName(String domain) {
        String d = normalize(domain);
        if (d.isEmpty() || d.contains(" ") || d.contains("/")) {
            throw new IllegalArgumentException("not a domain name: '" + domain + "'");
        }
        return d;
    }

    @Override
    public synchronized String toString() {
        return "MtaStsWorld{domains=" + domains.keySet() + ", mx=" + smtp.keySet() + ", started=" + started
                + ", closed=" + closed + "}";
    }

    /** Collects domains, then builds a world (not started). Not thread-safe. */
    public static final class Builder {
        private final Map<String, DomainSpec> domains = new LinkedHashMap<>();
        private @Nullable TestCertificateAuthority ca;

        private Builder() {}

        /**
         * Describes a domain.
         *
         * @throws IllegalArgumentException if the domain was already described
         */
        public Builder domain(String domain, Consumer<DomainSpec> description) {
            DomainSpec spec = new DomainSpec(domain);
            if (domains.containsKey(spec.domain)) {
                throw new IllegalArgumentException("domain '" + spec.domain + "' was already described");
            }
            description.accept(spec);
            domains.put(spec.domain, spec);
            return this;
        }

        /** The CA to issue every certificate; a new one unless set. */
        public Builder certificateAuthority(TestCertificateAuthority ca) {
            this.ca = requireNonNull(ca, "ca");
            return this;
        }

        /** Builds the world: issues certificates and fills the zone, but binds nothing until {@link #start()}. */
        public MtaStsWorld build() {
            return new MtaStsWorld(this);
        }
    }

    /**
     * One domain of the world: its MX hosts, its policy and TXT id, its TLSRPT record. Not
     * thread-safe; used only inside {@link Builder#domain}.
     */
    public static final class DomainSpec {
        private final String domain;
        private final List<Mx> mx = new ArrayList<>();
        private @Nullable Mode mode;
        private final List<String> patterns = new ArrayList<>();
        private @Nullable Policy explicitPolicy;
        private Duration maxAge = Duration.ofDays(1);
        private String stsId = "20240101000000";
        private final List<String> tlsRpt = new ArrayList<>();
        private boolean dane;

        private record Mx(int preference, String host) {}

        DomainSpec(String domain) {
            this.domain = domainName(domain);
        }

        /** Adds an MX record {@code preference host}; the host gets an SMTP server and {@code A 127.0.0.1}. */
        public DomainSpec mx(int preference, String host) {
            if (preference < 0 || preference > 65535) {
                throw new IllegalArgumentException("MX preference must be 0 to 65535, was " + preference);
            }
            mx.add(new Mx(preference, normalize(host)));
            return this;
        }

        /**
         * Publishes a policy with this mode and these {@code mx} patterns (RFC 8461 §3.2). With no
         * pattern and a mode other than {@code none}, the patterns are the MX host names.
         */
        public DomainSpec policy(Mode mode, String... mxPatterns) {
            this.mode = requireNonNull(mode, "mode");
            this.explicitPolicy = null;
            patterns.clear();
            for (String pattern : mxPatterns) {
                patterns.add(requireNonNull(pattern, "mx pattern"));
            }
            return this;
        }

        /** Publishes exactly this policy (its own max_age wins over {@link #maxAge}). */
        public DomainSpec policy(Policy policy) {
            this.explicitPolicy = requireNonNull(policy, "policy");
            this.mode = null;
            return this;
        }

        /** The policy's max_age; one day unless set. */
        public DomainSpec maxAge(Duration maxAge) {
            requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.toNanosPart() != 0) {
                throw new IllegalArgumentException("max_age must be whole non-negative seconds, was " + maxAge);
            }
            this.maxAge = maxAge;
            return this;
        }

        /** The id in {@code _mta-sts} TXT (1 to 32 letters and digits, RFC 8461 §3.1); {@code 20240101000000} unless set. */
        public DomainSpec stsId(String id) {
            this.stsId = checkId(id);
            return this;
        }

        /** Publishes {@code _smtp._tls TXT "v=TLSRPTv1; rua=<uris joined by ,>"} (RFC 8460 §3). */
        public DomainSpec tlsRpt(String... ruaUris) {
            if (ruaUris.length == 0) {
                throw new IllegalArgumentException("tlsRpt needs at least one rua URI");
            }
            for (String uri : ruaUris) {
                tlsRpt.add(requireNonNull(uri, "rua"));
            }
            return this;
        }

        /**
         * Makes the domain a DANE domain in one line (RFC 7672): its zone and its MX hosts' zones are
         * DNSSEC-signed under the world's trust anchor ({@link MtaStsWorld#dnssecTrustAnchors()}), and
         * each MX host publishes {@code _25._tcp.<mx> TLSA 3 1 1} for its SMTP server's certificate
         * (DANE-EE, SHA-256 of the SubjectPublicKeyInfo). A certificate given to the MX's server
         * later does not change the record: that is how a test makes the TLSA stop matching.
         */
        public DomainSpec dane() {
            this.dane = true;
            return this;
        }

        static String checkId(String id) {
            requireNonNull(id, "id");
            if (id.isEmpty()
                    || id.length() > 32
                    || !id.chars().allMatch(c -> c < 0x80 && Character.isLetterOrDigit(c))) {
                throw new IllegalArgumentException("an sts id is 1 to 32 ASCII letters and digits, was '" + id + "'");
            }
            return id;
        }

        @Nullable
        Policy policy() {
            if (explicitPolicy != null) {
                return explicitPolicy;
            }
            if (mode == null) {
                return null;
            }
            Policy.Builder builder = Policy.builder().mode(mode).maxAge(maxAge);
            List<String> list = patterns;
            if (list.isEmpty() && mode != Mode.NONE) {
                list = new ArrayList<>();
                for (Mx m : mx) {
                    list.add(m.host);
                }
            }
            for (String pattern : list) {
                builder.addMx(pattern);
            }
            return builder.build();
        }
    }
}
