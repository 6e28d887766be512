package dev.mtasts.checker.internal;

import static dev.mtasts.checker.internal.TxtContexts.atLeast;
import static dev.mtasts.checker.internal.TxtContexts.context;
import static dev.mtasts.checker.internal.TxtContexts.findingsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.Severity;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.DnsFault;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The {@code sts.txt.*} checks against a real DNS server. */
final class StsRecordCheckTest {
    private static final String DOMAIN = "sts.example";
    private static final String NAME = "_mta-sts." + DOMAIN;

    @AutoClose
    private final MultiAddressWorld world = MultiAddressWorld.start();

    private CheckContext ctx = context(world, DOMAIN);

    private StsRecordCheck.Result run() {
        ctx = context(world, DOMAIN);
        return StsRecordCheck.run(ctx);
    }

    private Finding single(Check check) {
        List<Finding> found = findingsOf(ctx, check);
        assertThat(found).as("findings of %s in %s", check.id(), ctx.findings()).hasSize(1);
        return found.get(0);
    }

    @Test
    void healthy_noErrorOrWarning_recordSelected() {
        world.healthy(DOMAIN);
        StsRecordCheck.Result result = run();
        assertThat(atLeast(ctx, "sts.txt.", Severity.WARNING)).isEmpty();
        assertThat(result.candidatePresent()).isTrue();
        assertThat(result.record()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(MultiAddressWorld.HEALTHY_ID));
        assertThat(result.lookup().status()).isEqualTo(LookupStatus.FOUND);
        assertThat(findingsOf(ctx, Check.STS_TXT_LOOKUP)).isEmpty();
        assertThat(findingsOf(ctx, Check.STS_TXT_CNAME)).isEmpty();
        assertThat(findingsOf(ctx, Check.STS_TXT_OTHER)).isEmpty();
        assertThat(findingsOf(ctx, Check.STS_TXT_UNKNOWN_FIELD)).isEmpty();
        assertThat(findingsOf(ctx, Check.STS_TXT_LOCATION)).isEmpty();
    }

    @Test
    void nxdomain_isInfoNoMtaSts() {
        // RFC 8461 §3.1: no record means the domain does not use MTA-STS; not a fault.
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_LOOKUP);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.message()).contains("does not exist");
        assertThat(result.candidatePresent()).isFalse();
        assertThat(result.record()).isEmpty();
        assertThat(findingsOf(ctx, Check.STS_TXT_DNSSEC)).isEmpty();
    }

    @Test
    void nodata_isInfoNoMtaSts() {
        world.dns().a(NAME, "127.0.0.1");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_LOOKUP);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.message()).contains("has no TXT record");
        assertThat(result.lookup().status()).isEqualTo(LookupStatus.NODATA);
    }

    @Test
    void servfail_isAnErrorWithTheResolversAnswer_andNothingElseIsChecked() {
        // RFC 8461 §3.1, §10.2: a DNS failure is not "no policy".
        world.dns().fault(NAME, DnsFault.SERVFAIL);
        world.dns().txt(DOMAIN, "v=STSv1; id=1");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_LOOKUP);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("SERVFAIL").contains("nothing about MTA-STS could be checked");
        assertThat(f.evidence()).singleElement().satisfies(e -> assertThat(e).contains("SERVFAIL"));
        assertThat(result.candidatePresent()).isFalse();
        assertThat(result.lookup().status()).isEqualTo(LookupStatus.FAILED);
        assertThat(ctx.findings()).hasSize(1);
    }

    @Test
    void cname_isInfoWithTheChain() {
        // RFC 8461 §3.1, §8.2: a CNAME to a provider is allowed and followed.
        world.dns().cname(NAME, "sts.provider.example");
        world.dns().txt("sts.provider.example", "v=STSv1; id=abc");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_CNAME);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsExactly(NAME, "sts.provider.example");
        assertThat(f.message()).contains(NAME + " -> sts.provider.example");
        assertThat(result.record()).isPresent();
        assertThat(result.lookup().cnameChain()).containsExactly(NAME, "sts.provider.example");
    }

    @Test
    void danglingCname_isNoMtaSts_namingTheMissingTarget() {
        world.dns().cname(NAME, "gone.provider.example");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_LOOKUP);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.message()).contains("CNAME to gone.provider.example, which does not exist");
        assertThat(single(Check.STS_TXT_CNAME).evidence()).containsExactly(NAME, "gone.provider.example");
        assertThat(result.candidatePresent()).isFalse();
    }

    @Test
    void twoCandidates_isAnError_andNoRecordIsUsed() {
        // RFC 8461 §3.1: more than one v=STSv1 record means no MTA-STS.
        world.dns().txt(NAME, "v=STSv1; id=1").txt(NAME, "v=STSv1; id=2");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_COUNT);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.evidence()).containsExactlyInAnyOrder("v=STSv1; id=1", "v=STSv1; id=2");
        assertThat(result.record()).isEmpty();
        assertThat(result.candidatePresent()).isTrue();
    }

    @Test
    void otherRecords_areInfoAndDoNotCount() {
        // RFC 8461 §3.1: records not starting with v=STSv1 are discarded.
        world.dns().txt(NAME, "v=STSv1; id=1").txt(NAME, "google-site-verification=xyz");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_OTHER);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsExactly("google-site-verification=xyz");
        assertThat(result.record()).isPresent();
        assertThat(atLeast(ctx, "sts.txt.", Severity.WARNING)).isEmpty();
    }

    @Test
    void versionDelimiterIsNotPartOfAnotherTag() {
        // RFC 8461 §3.1: "v=STSv10" is not a v=STSv1 record, but it is a near miss worth an error.
        world.dns().txt(NAME, "v=STSv10; id=1");
        StsRecordCheck.Result result = run();
        assertThat(result.candidatePresent()).isFalse();
        assertThat(single(Check.STS_TXT_SYNTAX).message()).contains("'v=STSv10'");
    }

    @Test
    void wrongCase_isASyntaxErrorNamingTheCase_andNoCandidate() {
        // RFC 8461 §3.1: the version field is case-sensitive.
        world.dns().txt(NAME, "V=STSv1; id=1");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_SYNTAX);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("'V=STSv1'").contains("exactly 'v=STSv1'");
        assertThat(result.candidatePresent()).isFalse();
        assertThat(single(Check.STS_TXT_LOOKUP).severity()).isEqualTo(Severity.INFO);
        assertThat(findingsOf(ctx, Check.STS_TXT_OTHER)).isEmpty();
    }

    @Test
    void idTooLong_isASyntaxErrorWithTheColumn() {
        // RFC 8461 §3.1: id is 1 to 32 alphanumerics.
        world.dns().txt(NAME, "v=STSv1; id=" + "a".repeat(33));
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_SYNTAX);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("column 13").contains("'id'").contains("33");
        assertThat(result.record()).isEmpty();
        assertThat(result.candidatePresent()).isTrue();
    }

    @Test
    void idWithAPunctuationMark_isASyntaxErrorAtThatColumn() {
        world.dns().txt(NAME, "v=STSv1; id=2026-12-02");
        run();
        assertThat(single(Check.STS_TXT_SYNTAX).message()).contains("column 17");
    }

    @Test
    void trailingWhitespaceWithoutSemicolon_isASyntaxError() {
        // RFC 8461 §3.1: field-delim is *WSP ";" *WSP; WSP at the end needs the ';'.
        world.dns().txt(NAME, "v=STSv1; id=1 ");
        run();
        assertThat(single(Check.STS_TXT_SYNTAX).message()).contains("column 14").contains("trailing whitespace");
    }

    @Test
    void trailingSemicolonAndNoSpaces_areFine() {
        world.dns().txt(NAME, "v=STSv1;id=1;");
        StsRecordCheck.Result result = run();
        assertThat(result.record()).isPresent();
        assertThat(atLeast(ctx, "sts.txt.", Severity.WARNING)).isEmpty();
    }

    @Test
    void nonAscii_isASyntaxError() {
        // RFC 8461 §3.1: the record is ASCII.
        world.dns().txtBytes(NAME, "v=STSv1; id=1; x=\u00e9".getBytes(StandardCharsets.UTF_8));
        run();
        assertThat(single(Check.STS_TXT_SYNTAX).message()).contains("column 18");
    }

    @Test
    void missingId_isASyntaxError() {
        world.dns().txt(NAME, "v=STSv1; x=1");
        run();
        assertThat(single(Check.STS_TXT_SYNTAX).message()).contains("'id'").contains("missing");
    }

    @Test
    void extensionFields_areInfoNeverErrors() {
        // RFC 8461 §3.1: extension fields are ignored by senders.
        world.dns().txt(NAME, "v=STSv1; id=1; ext=yes; id=2");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_UNKNOWN_FIELD);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsExactly("ext=yes", "id=2");
        assertThat(f.message()).contains("'ext'").contains("repeated 'id'").contains("id=1, governs");
        assertThat(result.record()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo("1"));
        assertThat(atLeast(ctx, "sts.txt.", Severity.WARNING)).isEmpty();
    }

    @Test
    void dnssec_validatedAndNot() {
        // RFC 8461 §10.2: whether the record was DNSSEC-validated.
        world.dns().txt(NAME, "v=STSv1; id=1");
        run();
        Finding plain = single(Check.STS_TXT_DNSSEC);
        assertThat(plain.severity()).isEqualTo(Severity.INFO);
        assertThat(plain.evidence()).containsExactly("AD=0");

        world.dns().authenticated(NAME, true);
        run();
        Finding signed = single(Check.STS_TXT_DNSSEC);
        assertThat(signed.evidence()).containsExactly("AD=1");
        assertThat(signed.message()).contains("validated");
    }

    @Test
    void recordOnlyAtTheApex_isALocationError() {
        // RFC 8461 §3.1: the record lives at _mta-sts only.
        world.dns().txt(DOMAIN, "v=STSv1; id=1").txt(DOMAIN, "v=spf1 -all");
        StsRecordCheck.Result result = run();
        Finding f = single(Check.STS_TXT_LOCATION);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("published at " + DOMAIN).contains("none at " + NAME);
        assertThat(f.evidence()).containsExactly("v=STSv1; id=1");
        assertThat(result.candidatePresent()).isFalse();
    }

    @Test
    void recordOnlyAtThePolicyHostName_isALocationError() {
        world.dns().txt("mta-sts." + DOMAIN, "v=STSv1; id=1");
        run();
        Finding f = single(Check.STS_TXT_LOCATION);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("mta-sts." + DOMAIN);
    }

    @Test
    void recordAtTheApexAsWell_isALocationWarning() {
        world.dns().txt(NAME, "v=STSv1; id=1").txt(DOMAIN, "v=STSv1; id=1");
        run();
        assertThat(single(Check.STS_TXT_LOCATION).severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void apexWithoutStsRecords_isNoLocationFinding() {
        world.dns().txt(NAME, "v=STSv1; id=1").txt(DOMAIN, "v=spf1 -all");
        run();
        assertThat(findingsOf(ctx, Check.STS_TXT_LOCATION)).isEmpty();
    }
}
