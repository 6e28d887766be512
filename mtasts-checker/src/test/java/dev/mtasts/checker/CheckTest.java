package dev.mtasts.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

final class CheckTest {
    private static final Pattern ID = Pattern.compile("(sts|rpt|cross)\\.[a-z_-]+(\\.[a-z_-]+)?");

    @Test
    void ids_areUniqueAndStableInForm() {
        Set<String> seen = new HashSet<>();
        for (Check check : Check.values()) {
            assertThat(check.id()).matches(ID);
            assertThat(seen.add(check.id())).as("duplicate %s", check.id()).isTrue();
            assertThat(Check.byId(check.id())).contains(check);
        }
        assertThat(Check.byId("sts.nonexistent")).isEmpty();
    }

    @Test
    void everyCatalogueEntry_isACheck() {
        // The published catalogue (docs/checker.md): these IDs are API and never change meaning.
        List<String> catalogue = List.of(
                "sts.txt.lookup",
                "sts.txt.cname",
                "sts.txt.count",
                "sts.txt.other",
                "sts.txt.location",
                "sts.txt.syntax",
                "sts.txt.unknown-field",
                "sts.txt.dnssec",
                "sts.host.resolve",
                "sts.host.tls",
                "sts.host.cert",
                "sts.http.status",
                "sts.http.ctype",
                "sts.http.size",
                "sts.http.encoding",
                "sts.http.timeout",
                "sts.policy.syntax",
                "sts.policy.version",
                "sts.policy.mode",
                "sts.policy.max_age",
                "sts.policy.mx",
                "sts.policy.dup-key",
                "sts.policy.unknown-key",
                "sts.policy.line-endings",
                "sts.mx.lookup",
                "sts.mx.coverage",
                "sts.mx.stale-pattern",
                "sts.mx.resolve",
                "sts.mx.starttls",
                "sts.mx.cert",
                "sts.mx.tls-version",
                "sts.mx.probe",
                "sts.id.drift",
                "sts.dane.overlap",
                "sts.host.consistency",
                "sts.max_age.cert",
                "sts.mx.postfix-skip",
                "rpt.rua.post",
                "cross.no-tlsrpt",
                "rpt.txt.lookup",
                "rpt.txt.count",
                "rpt.txt.location",
                "rpt.txt.syntax",
                "rpt.rua.scheme",
                "rpt.rua.https",
                "rpt.rua.same-domain");
        assertThat(Arrays.stream(Check.values()).map(Check::id)).containsExactlyInAnyOrderElementsOf(catalogue);
    }
}
