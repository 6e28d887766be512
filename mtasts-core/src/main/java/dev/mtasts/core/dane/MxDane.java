package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.TlsaRecord;
import java.util.List;
import java.util.Set;

/**
 * What DANE says about one MX host (RFC 7672 §2.2): authenticate with its usable TLSA records, use
 * TLS without authentication (TLSA present, none usable), not applicable, or unusable for now
 * (a bogus or failed lookup). Immutable.
 */
public sealed interface MxDane permits MxDane.Usable, MxDane.Unusable, MxDane.NotApplicable, MxDane.Failed {

    /** The MX host name (the MX record's exchange, lower case, no trailing dot). */
    String mxHost();

    /**
     * Secure TLSA records with at least one usable (RFC 7672 §2.2.2, §3.1): the server must present a
     * certificate chain one of them matches, or nothing may be sent to it.
     *
     * @param mxHost the MX host
     * @param tlsaBaseDomain the name whose {@code _25._tcp} TLSA records were used: the CNAME-expanded
     *     MX host when those records were found there, else the MX host (RFC 7672 §2.2.2); TLSRPT's
     *     policy domain for these sessions (RPT-TXT-1)
     * @param records every TLSA record found, usable or not, in answer order (TLSRPT's policy-string)
     * @param usableRecords the usable subset, never empty
     * @param referenceNames the names a DANE-TA(2) server certificate may carry (RFC 7672 §3.2.2): the
     *     MX host, its secure CNAME expansion and, when the MX lookup was secure, the next-hop domain
     */
    record Usable(
            String mxHost,
            String tlsaBaseDomain,
            List<TlsaRecord> records,
            List<TlsaRecord> usableRecords,
            Set<String> referenceNames)
            implements MxDane {
        /** Copies the collections; refuses an empty usable set. */
        public Usable {
            requireNonNull(mxHost, "mxHost");
            requireNonNull(tlsaBaseDomain, "tlsaBaseDomain");
            records = List.copyOf(records);
            usableRecords = List.copyOf(usableRecords);
            referenceNames = Set.copyOf(referenceNames);
            if (usableRecords.isEmpty()) {
                throw new IllegalArgumentException("Usable needs at least one usable TLSA record; use Unusable");
            }
        }
    }

    /**
     * Secure TLSA records, none usable: the connection must still use TLS but cannot be authenticated
     * by DANE (RFC 7672 §2.2); reported as {@code tlsa-invalid} (RFC 8460 §4.3.2).
     *
     * @param mxHost the MX host
     * @param tlsaBaseDomain where the records were found
     * @param records the records, in answer order
     */
    record Unusable(String mxHost, String tlsaBaseDomain, List<TlsaRecord> records) implements MxDane {
        /** Copies the list. */
        public Unusable {
            requireNonNull(mxHost, "mxHost");
            requireNonNull(tlsaBaseDomain, "tlsaBaseDomain");
            records = List.copyOf(records);
        }
    }

    /**
     * DANE does not apply to this MX host: deliver as without DANE (MTA-STS, if any, decides).
     *
     * @param mxHost the MX host
     * @param reason why
     * @param detail a human-readable description for logs
     */
    record NotApplicable(String mxHost, Reason reason, String detail) implements MxDane {
        /** Checks for null. */
        public NotApplicable {
            requireNonNull(mxHost, "mxHost");
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }

        /** Why DANE does not apply. */
        public enum Reason {
            /** The domain's MX RRset is not DNSSEC-secure, so no TLSA is looked up (RFC 7672 §2.2.1). */
            MX_INSECURE,
            /** The MX host's address records are not secure (RFC 7672 §2.2.2). */
            ADDRESSES_INSECURE,
            /** The TLSA lookup securely found no records (NXDOMAIN or NODATA). */
            NO_TLSA,
            /** The TLSA records are not DNSSEC-secure, so they are ignored (RFC 7672 §2.2). */
            TLSA_INSECURE
        }
    }

    /**
     * A lookup DANE needed for this MX host failed (bogus, or a temporary DNS failure): the host must
     * not be used, not even without DANE (RFC 7672 §2.1.1, §2.2); try another MX or defer.
     *
     * @param mxHost the MX host
     * @param status {@link DnssecStatus#BOGUS} for a validation failure (reported as {@code
     *     dnssec-invalid}), otherwise the status of the failed lookup
     * @param detail what failed, for logs
     */
    record Failed(String mxHost, DnssecStatus status, String detail) implements MxDane {
        /** Checks for null. */
        public Failed {
            requireNonNull(mxHost, "mxHost");
            requireNonNull(status, "status");
            requireNonNull(detail, "detail");
        }
    }
}
