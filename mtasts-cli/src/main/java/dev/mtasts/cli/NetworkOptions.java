package dev.mtasts.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The network options {@code check} and {@code resolve} share: which DNS server to ask, which
 * certificate authorities to trust, and the ports and address rules of a lab. Bad values are usage
 * errors, reported by picocli with the option's name.
 */
final class NetworkOptions {
    @Spec(Spec.Target.MIXEE)
    @Nullable
    CommandSpec mixee;

    @Option(
            names = "--dns",
            paramLabel = "HOST:PORT",
            description = "ask only this DNS server (port 53 when omitted; [v6addr]:PORT for IPv6);"
                    + " default: the system's resolvers")
    @Nullable
    String dns;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "PEM certificates to trust instead of the JDK's certificate authorities (labs, internal CAs)")
    @Nullable
    Path caFile;

    @Option(
            names = "--https-port",
            paramLabel = "N",
            description = "the policy host's HTTPS port (default: ${DEFAULT-VALUE}; other values for labs)")
    int httpsPort = 443;

    @Option(
            names = "--smtp-port",
            paramLabel = "N",
            description = "the MX hosts' SMTP port (default: ${DEFAULT-VALUE}; other values for labs)")
    int smtpPort = 25;

    @Option(
            names = "--private-ok",
            description = "loopback and private addresses are expected (a lab): not a warning, and fetched from")
    boolean privateOk;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "time limit of each network operation (default: 5 s per DNS query, 60 s per"
                    + " policy fetch, 30 s per SMTP probe)")
    @Nullable
    Integer timeoutSeconds;

    /** The DNS server given with {@code --dns}, or empty for the system's. */
    Optional<InetSocketAddress> dnsServer() {
        String text = dns;
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(parseHostPort(text));
    }

    /** The policy host port, checked. */
    int httpsPort() {
        return port(httpsPort, "--https-port");
    }

    /** The SMTP port, checked. */
    int smtpPort() {
        return port(smtpPort, "--smtp-port");
    }

    /** The {@code --timeout}, checked. */
    Optional<Duration> timeout() {
        Integer seconds = timeoutSeconds;
        if (seconds == null) {
            return Optional.empty();
        }
        if (seconds < 1 || seconds > 3600) {
            throw usage("--timeout must be 1..3600 seconds but was " + seconds);
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /** The trust store of {@code --ca-file}, or empty for the JDK's. */
    Optional<KeyStore> trustStore() {
        Path file = caFile;
        if (file == null) {
            return Optional.empty();
        }
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw usage("--ca-file: cannot read " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw usage("--ca-file: " + file + " holds no readable PEM certificate: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw usage("--ca-file: " + file + " holds no certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            return Optional.of(store);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** An SSL context trusting {@code --ca-file}, or the JDK's default context. */
    SSLContext sslContext() {
        Optional<KeyStore> store = trustStore();
        try {
            if (store.isEmpty()) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store.get());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * {@code HOST:PORT}, {@code HOST} (port 53), {@code [IPv6]:PORT} or a bare IPv6 address (port
     * 53). The host is resolved once, here.
     */
    InetSocketAddress parseHostPort(String text) {
        String host;
        int port = 53;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw usage("--dns: missing ']' in " + text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw usage("--dns: expected :PORT after ']' in " + text);
                }
                port = parsePort(rest.substring(1), text);
            }
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            host = text; // a bare IPv6 address
        } else if (text.indexOf(':') >= 0) {
            host = text.substring(0, text.indexOf(':'));
            port = parsePort(text.substring(text.indexOf(':') + 1), text);
        } else {
            host = text;
        }
        if (host.isEmpty()) {
            throw usage("--dns: no host in " + text);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw usage("--dns: cannot resolve " + host);
        }
        return address;
    }

    private int parsePort(String digits, String whole) {
        try {
            return port(Integer.parseInt(digits), "--dns port");
        } catch (NumberFormatException e) {
            throw usage("--dns: bad port in " + whole);
        }
    }

    private int port(int port, String name) {
        if (port < 1 || port > 65535) {
            throw usage(name + " must be 1..65535 but was " + port);
        }
        return port;
    }

    private CommandLine.ParameterException usage(String message) {
        CommandSpec spec = mixee;
        if (spec == null) {
            throw new IllegalArgumentException(message);
        }
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
