package dev.mtasts.checker.internal;

import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.CertificateSummary;
import dev.mtasts.checker.PolicyHostFacts;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one address of the policy host answered, with everything the checks judge: the TLS version,
 * the chain and its verdict, the response head and the complete body.
 *
 * @param address the address connected to
 * @param tlsVersion the negotiated protocol
 * @param chain the chain presented, leaf first (empty without a handshake)
 * @param verdict the certificate verdict for {@code mta-sts.<domain>}
 * @param status the final status code
 * @param contentType the first {@code Content-Type} value as sent
 * @param contentEncoding the {@code Content-Encoding} values, joined, as sent
 * @param location the {@code Location} of a redirect
 * @param body the complete body of a 200 answer
 * @param bodySize the body's size in bytes, or the size announced or seen when over the cap
 * @param failure why the exchange did not complete
 */
record PolicyHostAnswer(
        InetAddress address,
        Optional<String> tlsVersion,
        List<X509Certificate> chain,
        Optional<CertificateVerdict> verdict,
        OptionalInt status,
        Optional<String> contentType,
        Optional<String> contentEncoding,
        Optional<String> location,
        Optional<byte[]> body,
        OptionalLong bodySize,
        Optional<Failure> failure) {

    /** The sender's body cap (RFC 8461 §3.3 leaves it to the sender; ours is 64 KiB). */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** Why an exchange did not complete. */
    enum Stage {
        /** Not probed: IPv6 probing is off. */
        NOT_PROBED,
        /** No TCP connection. */
        CONNECT,
        /** The TLS handshake failed. */
        TLS,
        /** The deadline passed. */
        TIMEOUT,
        /** The body is over the cap. */
        TOO_LARGE,
        /** The response is not acceptable HTTP/1.1. */
        PROTOCOL
    }

    /**
     * Why an exchange did not complete.
     *
     * @param stage where it stopped
     * @param detail what went wrong, for the evidence
     */
    record Failure(Stage stage, String detail) {
        /** Validates. */
        Failure {
            requireNonNull(stage, "stage");
            requireNonNull(detail, "detail");
        }
    }

    /** Validates and copies. */
    PolicyHostAnswer {
        requireNonNull(address, "address");
        chain = List.copyOf(chain);
    }

    /** An address listed but not probed. */
    static PolicyHostAnswer notProbed(InetAddress address, String why) {
        return new PolicyHostAnswer(
                address,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                OptionalLong.empty(),
                Optional.of(new Failure(Stage.NOT_PROBED, why)));
    }

    /** Whether the address was probed at all. */
    boolean probed() {
        return failure.map(f -> f.stage() != Stage.NOT_PROBED).orElse(true);
    }

    /** Whether a TCP connection was made (a sender uses the first address that accepts one). */
    boolean connected() {
        return failure.map(f -> f.stage() != Stage.NOT_PROBED && f.stage() != Stage.CONNECT)
                .orElse(true);
    }

    /** Whether the negotiated protocol is TLS 1.2 or later (RFC 8461 §7.2). */
    boolean modernTls() {
        return tlsVersion.map(v -> v.equals("TLSv1.2") || v.equals("TLSv1.3")).orElse(false);
    }

    /** Whether the media type is {@code text/plain}, parameters ignored (RFC 8461 §3.2). */
    boolean textPlain() {
        return contentType
                .map(ct -> {
                    int semicolon = ct.indexOf(';');
                    return (semicolon >= 0 ? ct.substring(0, semicolon) : ct)
                            .strip()
                            .equalsIgnoreCase("text/plain");
                })
                .orElse(false);
    }

    /** Whether a content coding other than {@code identity} was applied (the sender refuses one). */
    boolean encoded() {
        return contentEncoding
                .map(v -> {
                    for (String coding : v.split(",", -1)) {
                        String c = coding.strip().toLowerCase(Locale.ROOT);
                        if (!c.isEmpty() && !c.equals("identity")) {
                            return true;
                        }
                    }
                    return false;
                })
                .orElse(false);
    }

    /** Whether the body starts with a UTF-8 byte order mark. */
    boolean bom() {
        return body.map(b -> b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf)
                .orElse(false);
    }

    /** The byte offset of the first malformed UTF-8 sequence in the body. */
    OptionalInt invalidUtf8At() {
        if (body.isEmpty()) {
            return OptionalInt.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(body.get());
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in);
            return OptionalInt.empty();
        } catch (CharacterCodingException e) {
            return OptionalInt.of(in.position());
        }
    }

    /**
     * Whether the sender's fetcher accepts this answer: a complete 200 over TLS 1.2 or later with an
     * acceptable certificate, {@code text/plain}, no content coding, within the cap, strict UTF-8
     * without a byte order mark. The policy's own syntax is judged by the content checks.
     */
    boolean senderAccepts() {
        return failure.isEmpty()
                && modernTls()
                && verdict.map(CertificateVerdict::acceptable).orElse(false)
                && status.orElse(0) == 200
                && textPlain()
                && !encoded()
                && body.isPresent()
                && !bom()
                && invalidUtf8At().isEmpty();
    }

    /** The body's SHA-256, hex. */
    Optional<String> bodySha256() {
        return body.map(PolicyHostAnswer::sha256);
    }

    /** The leaf certificate's SHA-256, hex. */
    Optional<String> leafSha256() {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(sha256(chain.get(0).getEncoded()));
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        }
    }

    /** The facts for the report. */
    PolicyHostFacts facts() {
        return new PolicyHostFacts(
                address,
                tlsVersion,
                chain.isEmpty() ? Optional.empty() : Optional.of(CertificateSummary.of(chain.get(0))),
                status,
                contentType,
                bodySize,
                bodySha256(),
                location,
                failure.map(Failure::detail));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
