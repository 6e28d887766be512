package dev.mtasts.testkit.server;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A key manager whose certificate is chosen per handshake, from the SNI host name the client sent:
 * how the policy host serves one certificate per {@code mta-sts.<domain>}. Thread-safe.
 */
final class TestKeyManager extends X509ExtendedKeyManager {

    /** Picks the certificate for a handshake; null fails it (no usable key, so a handshake_failure alert). */
    @FunctionalInterface
    interface Selector {
        @Nullable
        TestCertificate select(@Nullable Object connection, Optional<String> sni);
    }

    private final Selector selector;
    private final ConcurrentHashMap<String, TestCertificate> byAlias = new ConcurrentHashMap<>();

    private TestKeyManager(Selector selector) {
        this.selector = selector;
    }

    static TestKeyManager selecting(Selector selector) {
        return new TestKeyManager(selector);
    }

    static TestKeyManager single(TestCertificate certificate) {
        return new TestKeyManager((connection, sni) -> certificate);
    }

    /** The host name the client asked for with SNI (RFC 6066 §3), lower-cased. */
    static Optional<String> sni(@Nullable SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            List<SNIServerName> names = extended.getRequestedServerNames();
            for (SNIServerName name : names) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName().toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.empty();
    }

    private @Nullable String alias(String keyType, @Nullable Object connection, Optional<String> sni) {
        TestCertificate chosen = selector.select(connection, sni);
        if (chosen == null || !keyMatches(keyType, chosen.privateKey())) {
            return null;
        }
        String alias = "cert-" + System.identityHashCode(chosen) + "-"
                + chosen.certificate().getSerialNumber().toString(16);
        byAlias.putIfAbsent(alias, chosen);
        return alias;
    }

    private static boolean keyMatches(String keyType, PrivateKey key) {
        String algorithm = key.getAlgorithm();
        return keyType.equals(algorithm) || keyType.startsWith(algorithm + "_");
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        Optional<String> sni = socket instanceof SSLSocket ssl ? sni(ssl.getHandshakeSession()) : Optional.empty();
        return alias(keyType, socket, sni);
    }

    @Override
    public @Nullable String chooseEngineServerAlias(
            String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
        Optional<String> sni = engine != null ? sni(engine.getHandshakeSession()) : Optional.empty();
        return alias(keyType, engine, sni);
    }

    @Override
    public @Nullable String chooseClientAlias(
            String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
        for (String keyType : keyTypes) {
            String alias = alias(keyType, socket, Optional.empty());
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    @Override
    public @Nullable String chooseEngineClientAlias(
            String[] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        return null;
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        return null;
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
        TestCertificate cert = byAlias.get(alias);
        return cert == null ? null : cert.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
        TestCertificate cert = byAlias.get(alias);
        return cert == null ? null : cert.privateKey();
    }
}
