package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** {@code sts.dane.overlap}: TLSA records at {@code _25._tcp.<mx>} beside MTA-STS. */
public final class DaneOverlapCheck {
    private DaneOverlapCheck() {}

    /** Looks up TLSA for each MX host, emitting findings into {@code ctx}. */
    public static void run(CheckContext ctx, List<String> mxHosts) {
        for (String host : new LinkedHashSet<>(mxHosts)) {
            if (host.isEmpty() || host.equals(".")) {
                continue; // a null MX has no TLS to secure
            }
            String name = "_25._tcp." + host;
            RawDns.RawAnswer answer = ctx.rawDns().query(name, "TLSA");
            if (answer.status() == LookupStatus.FAILED) {
                // RFC 7672 §2.2: a DANE sender that cannot tell whether TLSA exists defers the mail.
                String failure = answer.failure().orElse("no answer");
                ctx.emit(Finding.of(
                        Check.STS_DANE_OVERLAP,
                        Severity.INFO,
                        "the TLSA lookup at " + name + " failed (" + failure + "): senders that do DANE cannot"
                                + " tell whether DANE applies to MX host " + host + " and may defer mail to it",
                        failure));
                continue;
            }
            if (answer.status() != LookupStatus.FOUND) {
                continue;
            }
            List<String> evidence = new ArrayList<>();
            answer.records().forEach(r -> evidence.add(name + " TLSA " + r));
            // RFC 8461 §2: a sender that validates DANE uses it and MTA-STS must not override a DANE failure.
            ctx.emit(new Finding(
                    Check.STS_DANE_OVERLAP,
                    Severity.INFO,
                    "MX host " + host + " publishes " + answer.records().size() + " TLSA record(s) at " + name
                            + (answer.authenticated() ? " (DNSSEC-validated)" : " (not DNSSEC-validated here)")
                            + ": senders that do DANE use it instead of MTA-STS for this host, and an MTA-STS"
                            + " policy never overrides a DANE failure",
                    evidence,
                    false));
        }
    }
}
