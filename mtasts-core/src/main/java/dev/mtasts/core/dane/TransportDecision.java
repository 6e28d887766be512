package dev.mtasts.core.dane;

import dev.mtasts.core.resolve.PolicyResult;
import java.util.List;

/**
 * The sender's decision for one next-hop domain under DANE and MTA-STS together (RFC 8461 §2, RFC
 * 7672 §2.2): per MX host, one {@link MxTransport}. DANE first; MTA-STS decides only hosts to which
 * DANE does not apply, and never weakens a DANE requirement. Immutable; made by {@link
 * TransportSecurity}.
 */
public final class TransportDecision {

    TransportDecision() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The next-hop domain, normalised. */
    public String domain() {
        throw new UnsupportedOperationException("TODO");
    }

    /** What the MTA-STS lookup found. */
    public PolicyResult sts() {
        throw new UnsupportedOperationException("TODO");
    }

    /** What DANE discovery found. */
    public DaneResult dane() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The decision for one MX host (its MX exchange name). Allocation-free for the hosts of a secure
     * MX RRset and for any host when DANE does not apply to the domain.
     */
    public MxTransport decisionFor(String mxHost) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The decisions for MX hosts already in the order they are to be tried, hosts that may not be used
     * included (check {@link MxTransport#allowed()}).
     */
    public List<MxTransport> plan(List<String> mxHostsInOrder) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The decisions for the domain's own validated MX hosts, lowest preference first, when DANE found a
     * secure MX RRset; otherwise empty (the MTA walks its own MX list with {@link #decisionFor}).
     */
    public List<MxTransport> securePlan() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Whether no host may be used now: the message must be deferred as a temporary failure. */
    public boolean mustDefer(List<String> mxHostsInOrder) {
        throw new UnsupportedOperationException("TODO");
    }
}
