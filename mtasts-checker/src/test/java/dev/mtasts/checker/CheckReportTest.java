package dev.mtasts.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class CheckReportTest {

    private static CheckReport withFindings(Finding... findings) {
        TxtLookup none = new TxtLookup(
                "_mta-sts.example.com", LookupStatus.NXDOMAIN, List.of(), List.of(), false, Optional.empty());
        TxtLookup noRpt = new TxtLookup(
                "_smtp._tls.example.com", LookupStatus.NXDOMAIN, List.of(), List.of(), false, Optional.empty());
        return new CheckReport(
                "example.com",
                Instant.EPOCH,
                Duration.ofMillis(5),
                List.of(findings),
                none,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                List.of(),
                new TlsRptFacts(noRpt, Optional.empty(), List.of()));
    }

    // CHK-CLI-2: 0 without W or E, 1 for warnings only, 2 for any error.
    @Test
    void exitCode_followsTheWorstSeverity() {
        Finding info = Finding.of(Check.STS_TXT_LOOKUP, Severity.INFO, "no MTA-STS");
        Finding warning = Finding.of(Check.CROSS_NO_TLSRPT, Severity.WARNING, "no TLSRPT");
        Finding error = Finding.of(Check.STS_TXT_COUNT, Severity.ERROR, "two records");
        assertThat(withFindings().exitCode()).isZero();
        assertThat(withFindings(info).exitCode()).isZero();
        assertThat(withFindings(info, warning).exitCode()).isEqualTo(1);
        assertThat(withFindings(warning, error, info).exitCode()).isEqualTo(2);
        assertThat(withFindings(warning, error, info).worst()).contains(Severity.ERROR);
        assertThat(withFindings().worst()).isEmpty();
    }

    @Test
    void findingsOfOneCheck_areFilteredInOrder() {
        Finding first = Finding.of(Check.STS_MX_CERT, Severity.ERROR, "expired", "mx1");
        Finding other = Finding.of(Check.STS_MX_PROBE, Severity.INFO, "unreachable");
        Finding second = Finding.of(Check.STS_MX_CERT, Severity.WARNING, "expires soon", "mx2");
        CheckReport report = withFindings(first, other, second);
        assertThat(report.findings(Check.STS_MX_CERT)).containsExactly(first, second);
        assertThat(report.has(Check.STS_MX_CERT, Severity.WARNING)).isTrue();
        assertThat(report.has(Check.STS_MX_PROBE, Severity.ERROR)).isFalse();
    }

    // CHK-API-4: findings of a lenient re-reading are marked, and keep everything else.
    @Test
    void lenientFinding_isMarked() {
        Finding strict = Finding.of(Check.STS_MX_COVERAGE, Severity.ERROR, "mx2 not covered", "mx2.example.com");
        Finding lenient = strict.asLenient();
        assertThat(strict.lenient()).isFalse();
        assertThat(lenient.lenient()).isTrue();
        assertThat(lenient.id()).isEqualTo("sts.mx.coverage");
        assertThat(lenient.rfc()).isEqualTo("RFC 8461 §4.1");
        assertThat(lenient.evidence()).containsExactly("mx2.example.com");
    }
}
