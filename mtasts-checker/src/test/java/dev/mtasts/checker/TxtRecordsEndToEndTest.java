package dev.mtasts.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.DnsFault;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The TXT record checks through {@link DomainChecker}, for domains a sender stops at the record. */
final class TxtRecordsEndToEndTest {
    private static final String DOMAIN = "plain.example";

    @AutoClose
    private final MultiAddressWorld world = MultiAddressWorld.start();

    @Test
    void noMtaSts_withTlsRpt_isInformationOnly() {
        // RFC 8461 §3.1: no record, no MTA-STS; RFC 8460 §3: TLSRPT stands on its own.
        world.dns().txt("_smtp._tls." + DOMAIN, "v=TLSRPTv1; rua=mailto:tls@reports.other.example");
        CheckReport report = Worlds.check(world, "Plain.Example.");
        assertThat(report.domain()).isEqualTo(DOMAIN);
        assertThat(report.stsTxt().status()).isEqualTo(LookupStatus.NXDOMAIN);
        assertThat(report.has(Check.STS_TXT_LOOKUP, Severity.INFO)).isTrue();
        assertThat(report.tlsRpt().record()).isPresent();
        assertThat(report.tlsRpt().endpoints()).containsExactly("mailto:tls@reports.other.example");
        assertThat(report.policyHost()).isEmpty();
        assertThat(report.exitCode()).as("%s", report.findings()).isZero();
    }

    @Test
    void dnsFailureAtMtaSts_isAnError_andStopsThere() {
        // RFC 8461 §10.2: a failure is not "no policy"; the checker says nothing could be checked.
        world.dns().fault("_mta-sts." + DOMAIN, DnsFault.SERVFAIL);
        CheckReport report = Worlds.check(world, DOMAIN);
        assertThat(report.has(Check.STS_TXT_LOOKUP, Severity.ERROR)).isTrue();
        assertThat(report.stsTxt().failure()).isPresent();
        assertThat(report.policyHost()).isEmpty();
        assertThat(report.has(Check.RPT_TXT_LOOKUP, Severity.INFO)).isTrue();
        assertThat(report.exitCode()).isEqualTo(2);
    }

    @Test
    void stsRecordAtTheApexOnly_isAnError() {
        // RFC 8461 §3.1: senders look only at _mta-sts.
        world.dns().txt(DOMAIN, "v=STSv1; id=1");
        CheckReport report = Worlds.check(world, DOMAIN);
        assertThat(report.has(Check.STS_TXT_LOCATION, Severity.ERROR)).isTrue();
        assertThat(report.exitCode()).isEqualTo(2);
    }
}
