package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How a check runs. Immutable; {@link #defaults()} probes everything a sender would, asks the
 * system's DNS servers and trusts the JDK's certificate authorities.
 */
public final class CheckOptions {
    private final boolean probeSmtp;
    private final boolean ipv6;
    private final Optional<InetSocketAddress> dnsServer;
    private final Duration dnsTimeout;
    private final Duration httpTimeout;
    private final Duration smtpTimeout;
    private final Optional<PolicyHistory> history;
    private final boolean probeRuaPost;
    private final boolean probeRuaHttps;
    private final int policyHostPort;
    private final int smtpPort;
    private final Optional<KeyStore> trustStore;
    private final boolean privateAddressesExpected;
    private final Clock clock;

    private CheckOptions(Builder b) {
        this.probeSmtp = b.probeSmtp;
        this.ipv6 = b.ipv6;
        this.dnsServer = b.dnsServer;
        this.dnsTimeout = b.dnsTimeout;
        this.httpTimeout = b.httpTimeout;
        this.smtpTimeout = b.smtpTimeout;
        this.history = b.history;
        this.probeRuaPost = b.probeRuaPost;
        this.probeRuaHttps = b.probeRuaHttps;
        this.policyHostPort = b.policyHostPort;
        this.smtpPort = b.smtpPort;
        this.trustStore = b.trustStore;
        this.privateAddressesExpected = b.privateAddressesExpected;
        this.clock = b.clock;
    }

    /** Everything on, system DNS, JDK trust. */
    public static CheckOptions defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the MX hosts are probed on port 25 (STARTTLS, TLS version, certificate). */
    public boolean probeSmtp() {
        return probeSmtp;
    }

    /** Whether IPv6 addresses are probed (they are always listed). */
    public boolean ipv6() {
        return ipv6;
    }

    /** The DNS server asked instead of the system's. */
    public Optional<InetSocketAddress> dnsServer() {
        return dnsServer;
    }

    /** Per DNS query. */
    public Duration dnsTimeout() {
        return dnsTimeout;
    }

    /** For the whole policy fetch from one address (RFC 8461 §3.3 suggests 60 s). */
    public Duration httpTimeout() {
        return httpTimeout;
    }

    /** For one SMTP probe: connect, greeting, EHLO, STARTTLS and handshake. */
    public Duration smtpTimeout() {
        return smtpTimeout;
    }

    /** Where {@code sts.id.drift} remembers policy bodies by id between runs. */
    public Optional<PolicyHistory> history() {
        return history;
    }

    /** Whether each {@code https:} rua gets a POST of a small real report (off by default). */
    public boolean probeRuaPost() {
        return probeRuaPost;
    }

    /** Whether each {@code https:} rua's host is resolved and its certificate checked (off by default). */
    public boolean probeRuaHttps() {
        return probeRuaHttps;
    }

    /** The policy host's port: 443 except in test worlds and labs. */
    public int policyHostPort() {
        return policyHostPort;
    }

    /** The MX hosts' port: 25 except in test worlds and labs. */
    public int smtpPort() {
        return smtpPort;
    }

    /** The certificate authorities trusted instead of the JDK's. */
    public Optional<KeyStore> trustStore() {
        return trustStore;
    }

    /**
     * Whether loopback and private addresses are expected (a lab or test world): the policy host on
     * one is then information, not the {@code sts.host.resolve} warning.
     */
    public boolean privateAddressesExpected() {
        return privateAddressesExpected;
    }

    /** The clock certificate lifetimes are measured against. */
    public Clock clock() {
        return clock;
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.probeSmtp = probeSmtp;
        b.ipv6 = ipv6;
        b.dnsServer = dnsServer;
        b.dnsTimeout = dnsTimeout;
        b.httpTimeout = httpTimeout;
        b.smtpTimeout = smtpTimeout;
        b.history = history;
        b.probeRuaPost = probeRuaPost;
        b.probeRuaHttps = probeRuaHttps;
        b.policyHostPort = policyHostPort;
        b.smtpPort = smtpPort;
        b.trustStore = trustStore;
        b.privateAddressesExpected = privateAddressesExpected;
        b.clock = clock;
        return b;
    }

    /** Builds {@link CheckOptions}. */
    public static final class Builder {
        private boolean probeSmtp = true;
        private boolean ipv6 = true;
        private Optional<InetSocketAddress> dnsServer = Optional.empty();
        private Duration dnsTimeout = Duration.ofSeconds(5);
        private Duration httpTimeout = Duration.ofSeconds(60);
        private Duration smtpTimeout = Duration.ofSeconds(30);
        private Optional<PolicyHistory> history = Optional.empty();
        private boolean probeRuaPost;
        private boolean probeRuaHttps;
        private int policyHostPort = 443;
        private int smtpPort = 25;
        private Optional<KeyStore> trustStore = Optional.empty();
        private boolean privateAddressesExpected;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Probe the MX hosts on port 25 (default true; port 25 is often blocked). */
        public Builder probeSmtp(boolean probeSmtp) {
            this.probeSmtp = probeSmtp;
            return this;
        }

        /** Probe IPv6 addresses too (default true). */
        public Builder ipv6(boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        /** Ask this DNS server only. */
        public Builder dnsServer(InetSocketAddress dnsServer) {
            this.dnsServer = Optional.of(requireNonNull(dnsServer, "dnsServer"));
            return this;
        }

        /** Per DNS query (default 5 s). */
        public Builder dnsTimeout(Duration timeout) {
            this.dnsTimeout = positive(timeout, "dnsTimeout");
            return this;
        }

        /** For one whole policy fetch (default 60 s). */
        public Builder httpTimeout(Duration timeout) {
            this.httpTimeout = positive(timeout, "httpTimeout");
            return this;
        }

        /** For one SMTP probe (default 30 s). */
        public Builder smtpTimeout(Duration timeout) {
            this.smtpTimeout = positive(timeout, "smtpTimeout");
            return this;
        }

        /** Remember policy bodies here, so a body changed under the same id is found. */
        public Builder history(PolicyHistory history) {
            this.history = Optional.of(requireNonNull(history, "history"));
            return this;
        }

        /** POST a small real report to each {@code https:} rua (default false: it files a report). */
        public Builder probeRuaPost(boolean probe) {
            this.probeRuaPost = probe;
            return this;
        }

        /** Resolve each {@code https:} rua host and check its certificate (default false). */
        public Builder probeRuaHttps(boolean probe) {
            this.probeRuaHttps = probe;
            return this;
        }

        /** The policy host's port (default 443). */
        public Builder policyHostPort(int port) {
            this.policyHostPort = port(port, "policyHostPort");
            return this;
        }

        /** The MX hosts' port (default 25). */
        public Builder smtpPort(int port) {
            this.smtpPort = port(port, "smtpPort");
            return this;
        }

        /** Trust these certificate authorities instead of the JDK's. */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Optional.of(requireNonNull(trustStore, "trustStore"));
            return this;
        }

        /** Loopback and private addresses are expected (a lab or test world). */
        public Builder privateAddressesExpected(boolean expected) {
            this.privateAddressesExpected = expected;
            return this;
        }

        /** The clock certificate lifetimes are measured against (default the system's, UTC). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** The options. */
        public CheckOptions build() {
            return new CheckOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + d);
            }
            return d;
        }

        private static int port(int port, String name) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 1..65535 but was " + port);
            }
            return port;
        }
    }
}
