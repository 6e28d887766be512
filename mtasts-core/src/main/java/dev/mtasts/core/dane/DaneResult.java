package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What DANE discovery found for a next-hop domain (RFC 7672 §2.2): not applicable (the MX RRset is
 * not secure), the DANE state of each MX host, or unavailable (the MX lookup was bogus or failed, so
 * delivery must wait, RFC 7672 §2.1.1). Immutable.
 */
public sealed interface DaneResult permits DaneResult.NotApplicable, DaneResult.Found, DaneResult.Unavailable {

    /** The next-hop domain, normalised (lower-case A-labels, no trailing dot). */
    String domain();

    /**
     * What DANE says about one MX host; {@link MxDane.NotApplicable} for a host this result does not
     * list.
     */
    MxDane forMx(String mxHost);

    /**
     * The domain's MX RRset is not DNSSEC-secure (insecure or indeterminate), or the domain has a null
     * MX: DANE applies to none of its hosts (RFC 7672 §2.2.1).
     *
     * @param domain the domain
     * @param status the MX lookup's status
     * @param detail why, for logs
     */
    record NotApplicable(String domain, DnssecStatus status, String detail) implements DaneResult {
        /** Checks for null. */
        public NotApplicable {
            requireNonNull(domain, "domain");
            requireNonNull(status, "status");
            requireNonNull(detail, "detail");
        }

        @Override
        public MxDane forMx(String mxHost) {
            return new MxDane.NotApplicable(mxHost, MxDane.NotApplicable.Reason.MX_INSECURE, detail);
        }
    }

    /**
     * The MX RRset is secure: the MX records in preference order (the domain itself when it has none,
     * RFC 5321 §5.1) and the DANE state of each host.
     *
     * @param domain the domain
     * @param mx the MX records, lowest preference first, ties in answer order
     * @param hosts the DANE state of each MX host, keyed by host name
     */
    record Found(String domain, List<MxRecord> mx, Map<String, MxDane> hosts) implements DaneResult {
        /** Copies the collections. */
        public Found {
            requireNonNull(domain, "domain");
            mx = List.copyOf(mx);
            hosts = Map.copyOf(hosts);
        }

        @Override
        public MxDane forMx(String mxHost) {
            MxDane dane = hosts.get(mxHost);
            return dane != null
                    ? dane
                    : new MxDane.NotApplicable(
                            mxHost, MxDane.NotApplicable.Reason.NO_TLSA, mxHost + " is not an MX host of " + domain);
        }

        /** The DANE state of one listed host, if listed. */
        public Optional<MxDane> host(String mxHost) {
            return Optional.ofNullable(hosts.get(mxHost));
        }
    }

    /**
     * The MX lookup was bogus or failed temporarily: which hosts may be used cannot be known, so
     * delivery must be deferred (RFC 7672 §2.1.1); never read as "no DANE".
     *
     * @param domain the domain
     * @param status {@link DnssecStatus#BOGUS} for a validation failure
     * @param detail what failed
     */
    record Unavailable(String domain, DnssecStatus status, String detail) implements DaneResult {
        /** Checks for null. */
        public Unavailable {
            requireNonNull(domain, "domain");
            requireNonNull(status, "status");
            requireNonNull(detail, "detail");
        }

        @Override
        public MxDane forMx(String mxHost) {
            return new MxDane.Failed(mxHost, status, detail);
        }
    }
}
