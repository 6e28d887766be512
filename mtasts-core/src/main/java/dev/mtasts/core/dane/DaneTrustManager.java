package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.tls.MxCertificateException;
import dev.mtasts.core.tls.TlsFailureReason;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Checks an MX server's certificate chain against the host's usable TLSA records (RFC 7672 §3):
 *
 * <ul>
 *   <li>DANE-EE(3): the leaf certificate (or its key) matches; names and validity dates are not
 *       checked (§3.1.1);
 *   <li>DANE-TA(2): a certificate of the chain matches and is taken as the trust anchor; the chain from
 *       the leaf up to it must verify, be within its validity dates, and the leaf must carry one of
 *       the reference names (§3.2.2, wildcards only as the whole left-most label). A "2 1 0" record
 *       holds the anchor's whole public key, so its certificate may be absent from the chain (RFC 7671
 *       §5.2.2): the key then counts as the anchor when it signed the top certificate of the chain;
 *   <li>PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP and never match (§3.1.3).
 * </ul>
 *
 * <p>One instance per MX host and TLSA set; thread-safe. Failures are {@link MxCertificateException}s
 * whose reason maps to the TLSRPT result type (RFC 8460 §4.3).
 */
public final class DaneTrustManager extends X509ExtendedTrustManager {
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private final String mxHost;
    private final List<TlsaRecord> eeRecords;
    private final List<TlsaRecord> taRecords;
    /** DANE-TA SPKI(1) Full(0): whole public keys that may stand for an anchor the server left out. */
    private final List<TlsaRecord> bareKeyRecords;

    private final Set<String> referenceNames;
    private final List<TlsaRecord> usableRecords;
    private final Clock clock;

    private DaneTrustManager(MxDane.Usable dane, Clock clock) {
        this.mxHost = dane.mxHost();
        this.clock = clock;
        this.referenceNames = dane.referenceNames();
        List<TlsaRecord> ee = new ArrayList<>();
        List<TlsaRecord> ta = new ArrayList<>();
        List<TlsaRecord> bareKeys = new ArrayList<>();
        List<TlsaRecord> usable = new ArrayList<>();
        for (TlsaRecord record : dane.usableRecords()) {
            // Usable already excludes PKIX-TA/EE and malformed records; checked again so a hand-made
            // Usable can never make them count (RFC 7672 §3.1.3).
            if (!record.usable()) {
                continue;
            }
            usable.add(record);
            if (record.usage() == TlsaRecord.USAGE_DANE_EE) {
                ee.add(record);
            } else if (record.usage() == TlsaRecord.USAGE_DANE_TA) {
                ta.add(record);
                if (record.selector() == TlsaRecord.SELECTOR_SPKI
                        && record.matchingType() == TlsaRecord.MATCHING_FULL) {
                    bareKeys.add(record);
                }
            }
        }
        this.eeRecords = List.copyOf(ee);
        this.taRecords = List.copyOf(ta);
        this.bareKeyRecords = List.copyOf(bareKeys);
        this.usableRecords = List.copyOf(usable);
    }

    /** For one MX host's usable TLSA records, checking validity dates on the system clock. */
    public static DaneTrustManager forMx(MxDane.Usable dane) {
        return forMx(dane, Clock.systemUTC());
    }

    /** For one MX host's usable TLSA records, checking DANE-TA validity dates on {@code clock}. */
    public static DaneTrustManager forMx(MxDane.Usable dane, Clock clock) {
        return new DaneTrustManager(requireNonNull(dane, "dane"), requireNonNull(clock, "clock"));
    }

    /**
     * Checks a server chain (leaf first) against the TLSA records.
     *
     * @throws MxCertificateException classified as TLSRPT reports it: {@code DANE_NO_MATCH} when no
     *     usable record matches; for DANE-TA(2), {@code HOST_MISMATCH}, {@code EXPIRED} or a PKIX path
     *     reason
     */
    public void checkDane(X509Certificate[] chain) throws MxCertificateException {
        requireNonNull(chain, "chain");
        if (chain.length == 0) {
            throw new MxCertificateException(
                    TlsFailureReason.DANE_NO_MATCH,
                    mxHost,
                    "MX host " + mxHost + " presented no certificate to compare with its TLSA records",
                    null);
        }
        X509Certificate leaf = chain[0];
        for (TlsaRecord record : eeRecords) {
            if (record.matches(leaf)) {
                // RFC 7672 §3.1.1: the key is pinned; names and dates say nothing more.
                return;
            }
        }
        MxCertificateException firstFailure = null;
        for (int depth = 0; depth < chain.length; depth++) {
            for (TlsaRecord record : taRecords) {
                if (!record.matches(chain[depth])) {
                    continue;
                }
                try {
                    checkUnderAnchor(chain, depth, record);
                    return;
                } catch (MxCertificateException e) {
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                }
            }
        }
        for (TlsaRecord record : bareKeyRecords) {
            if (matchesAny(record, chain)) {
                continue; // its certificate was sent: judged above like any other DANE-TA record
            }
            Optional<PublicKey> key = anchorKey(record.data());
            // The path ends at the lowest certificate the key signed: servers may append extra
            // certificates (cross-signed or unrelated roots) above it. A key that signed none of the
            // chain names no anchor of it: no match, as for a digest of a certificate not sent.
            int signedDepth = key.isEmpty() ? -1 : lowestSignedBy(chain, key.get());
            if (signedDepth < 0) {
                continue;
            }
            try {
                checkUnderBareKey(Arrays.copyOfRange(chain, 0, signedDepth + 1), record, key.get());
                return;
            } catch (MxCertificateException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        throw new MxCertificateException(TlsFailureReason.DANE_NO_MATCH, mxHost, noMatchMessage(chain), null);
    }

    private static boolean matchesAny(TlsaRecord record, X509Certificate[] chain) {
        for (X509Certificate certificate : chain) {
            if (record.matches(certificate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The public key of a SubjectPublicKeyInfo, for the key types X.509 servers use (RSA, EC, Ed25519,
     * Ed448), or empty when none decodes it.
     */
    static Optional<PublicKey> anchorKey(byte[] subjectPublicKeyInfo) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(subjectPublicKeyInfo);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePublic(spec));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // Not this algorithm's encoding (or not an encoding at all): try the next one.
            }
        }
        return Optional.empty();
    }

    private static boolean signedBy(X509Certificate certificate, PublicKey key) {
        try {
            certificate.verify(key);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The depth of the lowest certificate of the chain that {@code key} signed, or -1. */
    private static int lowestSignedBy(X509Certificate[] chain, PublicKey key) {
        for (int depth = 0; depth < chain.length; depth++) {
            if (signedBy(chain[depth], key)) {
                return depth;
            }
        }
        return -1;
    }

    /**
     * RFC 7672 §3.1.2, RFC 7671 §5.2.2: the presented chain up to a "2 1 0" key whose certificate
     * was not sent, then the dates of every presented certificate and the leaf's name, as in {@link
     * #checkUnderAnchor}.
     */
    private void checkUnderBareKey(X509Certificate[] chain, TlsaRecord record, PublicKey key)
            throws MxCertificateException {
        X509Certificate top = chain[chain.length - 1];
        Date now = Date.from(clock.instant());
        String where =
                "under DANE-TA record " + record + ", the key of an anchor not sent, which signed " + describe(top);
        validatePath(Arrays.asList(chain), new TrustAnchor(top.getIssuerX500Principal(), key, null), now, where);
        for (X509Certificate certificate : chain) {
            checkDates(certificate, now, where);
        }
        checkName(chain[0], where);
    }

    /** RFC 7672 §3.1.2, §3.2.2: the path from the leaf up to the matched certificate, its dates, then the name. */
    private void checkUnderAnchor(X509Certificate[] chain, int depth, TlsaRecord record) throws MxCertificateException {
        X509Certificate anchorCert = chain[depth];
        Date now = Date.from(clock.instant());
        String where =
                "under DANE-TA record " + record + " matching " + describe(anchorCert) + " at chain depth " + depth;
        if (depth > 0) {
            TrustAnchor anchor = record.selector() == TlsaRecord.SELECTOR_CERT
                    ? new TrustAnchor(anchorCert, null)
                    : new TrustAnchor(anchorCert.getSubjectX500Principal(), anchorCert.getPublicKey(), null);
            validatePath(Arrays.asList(chain).subList(0, depth), anchor, now, where);
        }
        // The JDK's PKIX validator does not look at the anchor's own dates; the anchor here is a
        // certificate the server sent, so an expired one fails like any other in the chain.
        // Decision recorded as DANE-CERT-6.
        for (int i = 0; i <= depth; i++) {
            checkDates(chain[i], now, where);
        }
        checkName(chain[0], where);
    }

    private void validatePath(List<X509Certificate> path, TrustAnchor anchor, Date now, String where)
            throws MxCertificateException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPath certPath = factory.generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw classifyPath(e, where);
        } catch (CertificateException | InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new MxCertificateException(
                    TlsFailureReason.PKIX_PATH_BUILDING,
                    mxHost,
                    "MX host " + mxHost + ": cannot build the path " + where + ": " + e.getMessage(),
                    e);
        }
    }

    private MxCertificateException classifyPath(CertPathValidatorException e, String where) {
        CertPathValidatorException.Reason reason = e.getReason();
        TlsFailureReason failure;
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            failure = TlsFailureReason.EXPIRED;
        } else if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            failure = TlsFailureReason.NOT_YET_VALID;
        } else if (reason == PKIXReason.NO_TRUST_ANCHOR || reason == PKIXReason.NAME_CHAINING) {
            // Either way the presented chain does not lead to the certificate the record matched:
            // the JDK says NAME_CHAINING when a subject and issuer name differ and NO_TRUST_ANCHOR
            // when the names agree but the anchor's key did not sign.
            failure = TlsFailureReason.PKIX_PATH_BUILDING;
        } else {
            failure = TlsFailureReason.PKIX_PATH_VALIDATION;
        }
        return new MxCertificateException(
                failure,
                mxHost,
                "MX host " + mxHost + ": the chain does not verify " + where + " (" + reason + "): " + e.getMessage(),
                e);
    }

    private void checkDates(X509Certificate certificate, Date now, String where) throws MxCertificateException {
        try {
            certificate.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new MxCertificateException(
                    TlsFailureReason.EXPIRED,
                    mxHost,
                    "MX host " + mxHost + ": certificate " + describe(certificate) + " expired "
                            + certificate.getNotAfter().toInstant() + " " + where,
                    e);
        } catch (CertificateNotYetValidException e) {
            throw new MxCertificateException(
                    TlsFailureReason.NOT_YET_VALID,
                    mxHost,
                    "MX host " + mxHost + ": certificate " + describe(certificate) + " is not valid before "
                            + certificate.getNotBefore().toInstant() + " " + where,
                    e);
        }
    }

    /** RFC 7672 §3.2.2, §3.2.3: a SAN dNSName, or the CN when there is none, names a reference name. */
    private void checkName(X509Certificate leaf, String where) throws MxCertificateException {
        List<String> names;
        try {
            names = DaneNames.presentedNames(leaf);
        } catch (CertificateParsingException e) {
            throw new MxCertificateException(
                    TlsFailureReason.BAD_SUBJECT_ALT_NAME,
                    mxHost,
                    "MX host " + mxHost + ": cannot read the certificate's subjectAltName: " + e.getMessage(),
                    e);
        }
        if (!DaneNames.anyMatches(names, referenceNames)) {
            throw new MxCertificateException(
                    TlsFailureReason.HOST_MISMATCH,
                    mxHost,
                    "MX host " + mxHost + ": certificate names " + names + " cover none of the reference names "
                            + new TreeSet<>(referenceNames) + " " + where,
                    null);
        }
    }

    private String noMatchMessage(X509Certificate[] chain) {
        StringBuilder sb = new StringBuilder("MX host ")
                .append(mxHost)
                .append(": no usable TLSA record ")
                .append(usableRecords)
                .append(" matches the presented chain [");
        for (int i = 0; i < chain.length; i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(describe(chain[i])).append(" SPKI SHA-256 ").append(spkiSha256(chain[i]));
        }
        return sb.append(']').toString();
    }

    private static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }

    private static String spkiSha256(X509Certificate certificate) {
        try {
            return HexFormat.of()
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checkDane(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checkDane(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkDane(chain);
    }

    /** Client certificates are not this trust manager's business: always refused. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        throw new CertificateException("DaneTrustManager checks servers only");
    }

    /** Client certificates are not this trust manager's business: always refused. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("DaneTrustManager checks servers only");
    }

    /** Client certificates are not this trust manager's business: always refused. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("DaneTrustManager checks servers only");
    }

    /** None: DANE needs no issuer list from the server. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
