package dev.mtasts.tlsrpt;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.delivery.MxSessionListener;
import dev.mtasts.core.resolve.MxPlan;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the SMTP sessions a delivery reports to its {@link MxSessionListener} into a {@link
 * TlsRptRecorder}: the applied policy comes from the session's lookup result ({@link
 * AppliedPolicies}), and the session's failures from the policy lookup (a fetch error, a stale
 * fallback's cause), the MX (not in the policy) and the TLS outcome. A session with several failures
 * counts once in the total and once per failure (RPT-AGG-4); a session whose outcome is not reportable
 * (RPT-TYPE-3) or whose policy was unavailable (RFC 8460 §4.3.4) is not counted.
 *
 * <p>A session DANE decided ({@link MxSession#dane()} present) is counted under its {@code tlsa} key
 * ({@link AppliedPolicies#tlsa(MxDane)}) whatever the MTA-STS lookup found, since MTA-STS did not
 * apply to it (RFC 8461 §2): usable records with the TLS outcome as usual ({@code dane-no-match} when
 * no record matched); records none of which is usable as a {@code tlsa-invalid} failure even when TLS
 * worked, as the domain cannot authenticate its MX; a bogus lookup ({@code dnssec-invalid}) or DANE
 * required and absent ({@code dane-required}) under the MX host with no records.
 *
 * <p>Never throws and never blocks: a session that cannot be recorded (a malformed name, a bug) is
 * counted in {@link #droppedSessions()} and logged, the first time only, at WARN. Thread-safe.
 */
public final class SessionRecording implements MxSessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRecording.class);

    private final TlsRptRecorder recorder;
    private final AppliedPolicies policies;
    private final Optional<String> defaultSendingIp;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder undetailedFailures = new LongAdder();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicBoolean warnedNoSendingIp = new AtomicBoolean();
    // Shared by every compliant session and never added to.
    private final Failures noFailures = new Failures();

    SessionRecording(TlsRptRecorder recorder, AppliedPolicies policies, Optional<InetAddress> defaultSendingIp) {
        this.recorder = recorder;
        this.policies = policies;
        this.defaultSendingIp = defaultSendingIp.map(SessionRecording::literal);
    }

    /** Counts {@code session} (see the class comment); never throws. */
    @Override
    public void sessionEnded(MxSession session) {
        try {
            record(session);
        } catch (RuntimeException e) {
            drop(session.policy().domain(), e);
        }
    }

    /**
     * Counts a delivery attempt that used no MX because {@code plan} says to defer: when no MX host
     * matches an enforced policy, one failed session with one {@code sts-mx-not-in-policy} detail per
     * MX host skipped (STS-OUT-2); an unavailable policy is not counted. Never throws.
     *
     * @return whether anything was counted
     */
    public boolean planDeferred(PolicyResult result, MxPlan plan) {
        try {
            Optional<MxPlan.Deferral> deferral = plan.deferral();
            if (deferral.isEmpty() || deferral.get().reportedAs().isEmpty()) {
                return false;
            }
            Optional<AppliedPolicy> key = policies.of(result);
            if (key.isEmpty() || plan.skipped().isEmpty()) {
                return false;
            }
            TlsFailureReason reason = deferral.get().reportedAs().get();
            Failures failures = new Failures();
            for (String host : plan.skipped()) {
                // No connection was made: only the configured sending address can be named.
                failures.atMx(reason, host, defaultSendingIp, Optional.empty(), Optional.empty());
            }
            failures.recordInto(recorder, key.get());
            return true;
        } catch (RuntimeException e) {
            drop(result.domain(), e);
            return false;
        }
    }

    /** Sessions that could not be recorded because recording them threw. */
    public long droppedSessions() {
        return dropped.sum();
    }

    private void record(MxSession session) {
        TlsSessionOutcome outcome = session.outcome();
        if (!outcome.reportable()) {
            return; // RPT-TYPE-3
        }
        Optional<MxDane> dane = session.dane();
        Optional<AppliedPolicy> key =
                dane.isPresent() ? Optional.of(daneKey(session, dane.get())) : policies.of(session.policy());
        if (key.isEmpty()) {
            return; // RFC 8460 §4.3.4: an unavailable policy is transient
        }
        Failures failures = failures(session);
        if (failures.none()) {
            recorder.recordSuccess(key.get());
        } else {
            failures.recordInto(recorder, key.get());
        }
    }

    /** The failures of one session written as details (see {@link #failures(MxSession)}). */
    List<SessionFailure> failuresOf(MxSession session) {
        return failures(session).details;
    }

    /**
     * Every failure of one session, policy-level ones first; none for a policy-compliant session,
     * without allocating a list (the common case).
     */
    private Failures failures(MxSession session) {
        if (!anyFailure(session)) {
            return noFailures;
        }
        Failures failures = new Failures();
        if (session.dane().isPresent()) {
            // RFC 8461 §2: DANE decided the session, so nothing MTA-STS found is this session's failure.
            if (session.dane().get() instanceof MxDane.Unusable && !deferredByDane(session)) {
                failures.atMx(TlsFailureReason.TLSA_UNUSABLE, session);
            }
            if (session.outcome() instanceof TlsSessionOutcome.Failed failed) {
                failures.atMx(failed.reason(), session);
            }
            return failures;
        }
        PolicyResult policy = session.policy();
        if (policy instanceof PolicyResult.NoPolicy none) {
            // RFC 8460 §4.3.3: the TXT record announced a policy that could not be fetched or parsed.
            SessionFailure.of(none.problem()).ifPresent(failures::add);
        } else if (policy instanceof PolicyResult.PolicyFound found && found.mode() != Mode.NONE) {
            // STS-OUT-1: the cached policy was applied, but what failed is reported (not for mode none).
            found.fallbackCause().flatMap(SessionFailure::of).ifPresent(failures::add);
            if (!found.policy().matches(session.mxHost())) {
                // STS-OUT-2: an MX outside the policy (mode testing delivers to it anyway).
                failures.atMx(TlsFailureReason.MX_NOT_IN_POLICY, session);
            }
        }
        if (session.outcome() instanceof TlsSessionOutcome.Failed failed) {
            failures.atMx(failed.reason(), session);
        }
        return failures;
    }

    /**
     * The {@code tlsa} key of a session DANE decided: the DANE state's host alone for a deferral DANE
     * caused (no records were used), else the records found. The DANE state names the host: for a
     * bogus MX RRset it is the next-hop domain, since the host the MTA tried came from an unvalidated
     * lookup and may be an attacker's choice (DANE-RPT-7); the detail still names that host.
     */
    private AppliedPolicy daneKey(MxSession session, MxDane dane) {
        return deferredByDane(session) ? policies.tlsaWithoutRecords(dane.mxHost()) : policies.tlsa(dane);
    }

    /** A session that never connected because DANE made its host unusable. */
    private static boolean deferredByDane(MxSession session) {
        return session.outcome() instanceof TlsSessionOutcome.Failed failed
                && (failed.reason() == TlsFailureReason.DNSSEC_BOGUS
                        || failed.reason() == TlsFailureReason.DANE_REQUIRED);
    }

    /** Whether {@link #failures} finds anything: the common, compliant session allocates nothing. */
    private static boolean anyFailure(MxSession session) {
        if (session.outcome() instanceof TlsSessionOutcome.Failed) {
            return true;
        }
        if (session.dane().isPresent()) {
            return session.dane().get() instanceof MxDane.Unusable;
        }
        PolicyResult policy = session.policy();
        if (policy instanceof PolicyResult.NoPolicy none) {
            return none.problem().resultType().isPresent();
        }
        return policy instanceof PolicyResult.PolicyFound found
                && found.mode() != Mode.NONE
                && (found.fallbackCause().isPresent() || !found.policy().matches(session.mxHost()));
    }

    /**
     * The failures of one session: details, and failures at an MX that cannot be details because
     * no sending address is known (RPT-JSON-4 requires it): those count in the session's total and
     * as overflow, never as a detail our own strict reader would refuse.
     */
    private final class Failures {
        private List<SessionFailure> details = List.of();
        private int undetailed;

        void add(SessionFailure failure) {
            if (details.isEmpty()) {
                details = new ArrayList<>(2);
            }
            details.add(failure);
        }

        void atMx(TlsFailureReason reason, MxSession session) {
            atMx(
                    reason,
                    session.mxHost(),
                    session.sendingIp().map(SessionRecording::literal).or(() -> defaultSendingIp),
                    session.receivingMxHelo(),
                    session.receivingIp().map(SessionRecording::literal));
        }

        void atMx(
                TlsFailureReason reason,
                String mxHost,
                Optional<String> sendingIp,
                Optional<String> helo,
                Optional<String> receivingIp) {
            if (sendingIp.isEmpty()) {
                undetailed++;
                warnNoSendingIp();
                return;
            }
            add(SessionFailure.at(reason, new MxEndpoint(sendingIp, Optional.of(mxHost), helo, receivingIp)));
        }

        boolean none() {
            return details.isEmpty() && undetailed == 0;
        }

        void recordInto(TlsRptRecorder recorder, AppliedPolicy key) {
            recorder.recordFailure(key, details, undetailed);
        }
    }

    private void warnNoSendingIp() {
        undetailedFailures.increment();
        if (warnedNoSendingIp.compareAndSet(false, true)) {
            LOG.warn("a TLS failure at an MX was counted without a failure detail: the session did not say"
                    + " which local address it used and no default sending IP is configured"
                    + " (TlsRptRecorder.Builder.defaultSendingIp); further ones are only counted");
        }
    }

    /** Failures counted without a detail because no sending address was known (RPT-JSON-4). */
    public long undetailedFailures() {
        return undetailedFailures.sum();
    }

    /** The address as a literal without a scope id, never a DNS lookup. */
    private static String literal(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }

    private void drop(String domain, RuntimeException e) {
        dropped.increment();
        if (warned.compareAndSet(false, true)) {
            LOG.warn(
                    "a TLSRPT session for {} could not be recorded; further ones are only counted (droppedSessions)",
                    domain,
                    e);
        } else {
            LOG.debug("a TLSRPT session for {} could not be recorded", domain, e);
        }
    }
}
