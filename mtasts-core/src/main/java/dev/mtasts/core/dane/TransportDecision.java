package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.internal.DomainNameForm;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sender's decision for one next-hop domain under DANE and MTA-STS together (RFC 8461 §2, RFC
 * 7672 §2.2): per MX host, one {@link MxTransport}. DANE first; MTA-STS decides only hosts to which
 * DANE does not apply, and never weakens a DANE requirement. Immutable (a small memo of decisions for
 * hosts outside the validated MX RRset aside, which does not change any answer); thread-safe; made by
 * {@link TransportSecurity}.
 */
public final class TransportDecision {
    /** Hosts outside a secure MX RRset remembered per decision; beyond this they are recomputed. */
    private static final int MEMO_LIMIT = 32;

    private final String domain;
    private final PolicyResult sts;
    private final DaneResult dane;
    private final boolean daneRequired;
    private final Map<String, MxTransport> listed;
    private final List<MxTransport> securePlan;
    private final Map<String, MxTransport> memo = new ConcurrentHashMap<>();

    TransportDecision(PolicyResult sts, DaneResult dane, boolean daneRequired) {
        this.sts = requireNonNull(sts, "sts");
        this.dane = requireNonNull(dane, "dane");
        this.domain = dane.domain();
        this.daneRequired = daneRequired;
        if (dane instanceof DaneResult.Found found) {
            Map<String, MxTransport> byHost = new HashMap<>();
            List<MxTransport> plan = new ArrayList<>(found.mx().size());
            for (MxRecord record : found.mx()) {
                String host = record.exchange();
                if (!byHost.containsKey(host)) {
                    MxTransport transport = decide(host, found.forMx(host));
                    byHost.put(host, transport);
                    plan.add(transport);
                }
            }
            this.listed = Map.copyOf(byHost);
            this.securePlan = List.copyOf(plan);
        } else {
            this.listed = Map.of();
            this.securePlan = List.of();
        }
    }

    /** The next-hop domain, normalised. */
    public String domain() {
        return domain;
    }

    /** What the MTA-STS lookup found. */
    public PolicyResult sts() {
        return sts;
    }

    /** What DANE discovery found. */
    public DaneResult dane() {
        return dane;
    }

    /** Whether the sender requires DANE for this domain (local policy). */
    public boolean daneRequired() {
        return daneRequired;
    }

    /**
     * The decision for one MX host (its MX exchange name). Allocation-free for the hosts of a secure
     * MX RRset; for other hosts, allocation-free from the second call on for up to 32 hosts per
     * decision (they are remembered).
     *
     * <p>When DANE found a secure MX RRset, a host outside it is {@link MxTransport.Requirement#SKIP}:
     * the validated RRset says which hosts are the domain's, and an MX list from an unvalidated
     * lookup must not add one.
     */
    public MxTransport decisionFor(String mxHost) {
        requireNonNull(mxHost, "mxHost");
        MxTransport transport = listed.get(mxHost);
        if (transport != null) {
            return transport;
        }
        transport = memo.get(mxHost);
        if (transport != null) {
            return transport;
        }
        transport = unlisted(mxHost);
        if (memo.size() < MEMO_LIMIT) {
            MxTransport earlier = memo.putIfAbsent(mxHost, transport);
            return earlier != null ? earlier : transport;
        }
        return transport;
    }

    private MxTransport unlisted(String mxHost) {
        String normal = DomainNameForm.normalize(mxHost);
        if (normal != null && !normal.equals(mxHost)) {
            MxTransport transport = listed.get(normal);
            if (transport != null) {
                return new MxTransport(mxHost, transport.requirement(), transport.dane(), transport.sts());
            }
        }
        MxDane hostDane = dane.forMx(mxHost);
        if (dane instanceof DaneResult.Found) {
            return new MxTransport(mxHost, MxTransport.Requirement.SKIP, hostDane, sts.decisionFor(mxHost));
        }
        return decide(mxHost, hostDane);
    }

    private MxTransport decide(String mxHost, MxDane hostDane) {
        MxDecision stsDecision = sts.decisionFor(mxHost);
        return new MxTransport(
                mxHost,
                requirement(dane instanceof DaneResult.Unavailable, hostDane, stsDecision, daneRequired),
                hostDane,
                stsDecision);
    }

    /**
     * The decision table (RFC 8461 §2, RFC 7672 §2.1.1, §2.2), first matching row wins:
     *
     * <ol>
     *   <li>the DANE lookup of the domain is unavailable (bogus or failed MX lookup): DEFER;
     *   <li>a DANE lookup of the host failed ({@link MxDane.Failed}): DEFER;
     *   <li>the MTA-STS policy is unavailable and the host has no usable TLSA: DEFER (a host with
     *       usable TLSA goes on under DANE: its MX RRset is DNSSEC-validated, so the MX check MTA-STS
     *       would add guards against nothing DANE leaves open);
     *   <li>an enforced MTA-STS policy does not list the host: SKIP (kept for DANE hosts too: it never
     *       weakens);
     *   <li>usable TLSA records: DANE;
     *   <li>the sender requires DANE for the domain and the host has no usable TLSA: DEFER;
     *   <li>TLSA records, none usable: STS_VALIDATED under an enforced policy, else
     *       TLS_UNAUTHENTICATED;
     *   <li>otherwise MTA-STS alone: STS_VALIDATED, STS_REPORT_ONLY or OPPORTUNISTIC.
     * </ol>
     */
    static MxTransport.Requirement requirement(
            boolean daneUnavailable, MxDane hostDane, MxDecision sts, boolean daneRequired) {
        if (daneUnavailable || hostDane instanceof MxDane.Failed) {
            return MxTransport.Requirement.DEFER;
        }
        if (sts == MxDecision.DEFER && !(hostDane instanceof MxDane.Usable)) {
            return MxTransport.Requirement.DEFER;
        }
        if (sts == MxDecision.SKIP) {
            return MxTransport.Requirement.SKIP;
        }
        if (hostDane instanceof MxDane.Usable) {
            return MxTransport.Requirement.DANE;
        }
        if (daneRequired) {
            return MxTransport.Requirement.DEFER;
        }
        if (hostDane instanceof MxDane.Unusable) {
            return sts == MxDecision.REQUIRE_VALIDATED_TLS
                    ? MxTransport.Requirement.STS_VALIDATED
                    : MxTransport.Requirement.TLS_UNAUTHENTICATED;
        }
        return MxTransport.Requirement.ofSts(sts);
    }

    /**
     * The decisions for MX hosts already in the order they are to be tried, hosts that may not be used
     * included (check {@link MxTransport#allowed()}).
     */
    public List<MxTransport> plan(List<String> mxHostsInOrder) {
        List<MxTransport> plan = new ArrayList<>(mxHostsInOrder.size());
        for (String host : mxHostsInOrder) {
            plan.add(decisionFor(host));
        }
        return List.copyOf(plan);
    }

    /**
     * The decisions for the domain's own validated MX hosts, lowest preference first (each host
     * once), when DANE found a secure MX RRset; otherwise empty (the MTA walks its own MX list with
     * {@link #decisionFor}).
     */
    public List<MxTransport> securePlan() {
        return securePlan;
    }

    /**
     * Whether no host of {@code mxHostsInOrder} may be used now (none given included): the message
     * must be deferred as a temporary failure.
     */
    public boolean mustDefer(List<String> mxHostsInOrder) {
        for (String host : mxHostsInOrder) {
            if (decisionFor(host).allowed()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "TransportDecision[" + domain + ", sts=" + sts.getClass().getSimpleName() + ", dane="
                + dane.getClass().getSimpleName() + (daneRequired ? ", dane required" : "") + ", secure plan="
                + securePlan + "]";
    }
}
