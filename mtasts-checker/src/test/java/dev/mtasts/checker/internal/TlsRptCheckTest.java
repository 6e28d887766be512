package dev.mtasts.checker.internal;

import static dev.mtasts.checker.internal.TxtContexts.atLeast;
import static dev.mtasts.checker.internal.TxtContexts.context;
import static dev.mtasts.checker.internal.TxtContexts.findingsOf;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.TlsRptFacts;
import dev.mtasts.checker.Worlds;
import dev.mtasts.core.Mode;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.TestCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code rpt.*} and {@code cross.no-tlsrpt} checks against a real DNS server and HTTPS endpoints. */
final class TlsRptCheckTest {
    private static final String DOMAIN = "rpt.example";
    private static final String NAME = "_smtp._tls." + DOMAIN;

    private MultiAddressWorld world;
    private CheckContext ctx;
    private @Nullable RuaEndpoint https;

    @BeforeEach
    void start() {
        world = MultiAddressWorld.start();
        ctx = context(world, DOMAIN);
    }

    @AfterEach
    void stop() throws IOException {
        if (https != null) {
            https.close();
        }
        world.close();
    }

    private TlsRptFacts run() {
        ctx = context(world, DOMAIN);
        return TlsRptCheck.run(ctx);
    }

    private Finding single(Check check) {
        List<Finding> found = findingsOf(ctx, check);
        assertThat(found).as("findings of %s in %s", check.id(), ctx.findings()).hasSize(1);
        return found.get(0);
    }

    private static Optional<PolicyFacts> policy(Mode mode) {
        return Optional.of(new PolicyFacts(
                List.of("version: STSv1", "mode: " + mode.token()),
                Optional.empty(),
                Optional.of(mode),
                List.of("mx." + DOMAIN),
                Optional.of(Duration.ofDays(7)),
                false));
    }

    // ------------------------------------------------------------ the record

    @Test
    void healthy_noErrorOrWarning() {
        world.healthy(DOMAIN);
        TlsRptFacts facts = run();
        assertThat(atLeast(ctx, "rpt.", Severity.WARNING)).isEmpty();
        assertThat(ctx.findings()).isEmpty();
        assertThat(facts.record()).isPresent();
        assertThat(facts.endpoints()).containsExactly("mailto:tlsrpt@reports." + DOMAIN);
        TlsRptCheck.crossCheck(ctx, policy(Mode.ENFORCE), facts);
        // The healthy world reports to reports.<domain>, inside the domain: information only.
        assertThat(ctx.findings()).extracting(Finding::check).containsExactly(Check.RPT_RUA_SAME_DOMAIN);
        assertThat(atLeast(ctx, "", Severity.WARNING)).isEmpty();
    }

    @Test
    void noRecord_isInfo() {
        // RFC 8460 §3: TLSRPT is optional.
        TlsRptFacts facts = run();
        Finding f = single(Check.RPT_TXT_LOOKUP);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.message()).contains("NXDOMAIN");
        assertThat(facts.record()).isEmpty();
        assertThat(facts.endpoints()).isEmpty();
    }

    @Test
    void servfail_isAnError() {
        world.dns().fault(NAME, DnsFault.SERVFAIL);
        TlsRptFacts facts = run();
        Finding f = single(Check.RPT_TXT_LOOKUP);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("SERVFAIL");
        assertThat(facts.lookup().status()).isEqualTo(LookupStatus.FAILED);
    }

    @Test
    void twoCandidates_isAnError() {
        // RFC 8460 §3: more than one record means no reports.
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:a@x.example").txt(NAME, "v=TLSRPTv1; rua=mailto:b@x.example");
        TlsRptFacts facts = run();
        assertThat(single(Check.RPT_TXT_COUNT).severity()).isEqualTo(Severity.ERROR);
        assertThat(facts.record()).isEmpty();
    }

    @Test
    void repeatedRua_isFine() {
        // RFC 8460 §3: several rua URIs are allowed, in one field or several.
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:a@x.example,https://r.x.example/r; rua=mailto:b@x.example");
        TlsRptFacts facts = run();
        assertThat(ctx.findings()).isEmpty();
        assertThat(facts.endpoints())
                .containsExactly("mailto:a@x.example", "https://r.x.example/r", "mailto:b@x.example");
    }

    @Test
    void rawBang_isASyntaxErrorWithTheColumn() {
        // RFC 8460 §3: '!' is not allowed raw in a rua URI (DMARC's size suffix).
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:a@x.example!10m");
        TlsRptFacts facts = run();
        Finding f = single(Check.RPT_TXT_SYNTAX);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("column 35").contains("'!'");
        assertThat(facts.record()).isEmpty();
    }

    @Test
    void doubleSemicolon_isASyntaxError() {
        world.dns().txt(NAME, "v=TLSRPTv1;; rua=mailto:a@x.example");
        run();
        assertThat(single(Check.RPT_TXT_SYNTAX).message()).contains("column 12");
    }

    @Test
    void missingRua_isASyntaxError() {
        world.dns().txt(NAME, "v=TLSRPTv1; ext=1");
        run();
        assertThat(single(Check.RPT_TXT_SYNTAX).message()).contains("'rua'").contains("missing");
    }

    @Test
    void wrongCase_isASyntaxError() {
        // RFC 8460 §3: the version is case-sensitive.
        world.dns().txt(NAME, "v=tlsrptv1; rua=mailto:a@x.example");
        TlsRptFacts facts = run();
        assertThat(single(Check.RPT_TXT_SYNTAX).message()).contains("'v=tlsrptv1'");
        assertThat(facts.record()).isEmpty();
        assertThat(single(Check.RPT_TXT_LOOKUP).severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void otherRecordsAndExtensions_areIgnored() {
        // RFC 8460 §3: unknown records and extension fields are not errors.
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:a@x.example; ext=1").txt(NAME, "something else");
        TlsRptFacts facts = run();
        assertThat(ctx.findings()).isEmpty();
        assertThat(facts.record()).isPresent();
    }

    @Test
    void unknownScheme_isAWarning_noUsableRuaAnError() {
        // RFC 8460 §3: only mailto: and https: are defined.
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:a@x.example,ftp://x.example/r");
        run();
        Finding w = single(Check.RPT_RUA_SCHEME);
        assertThat(w.severity()).isEqualTo(Severity.WARNING);
        assertThat(w.message()).contains("ftp://x.example/r");

        world.dns().remove(NAME).txt(NAME, "v=TLSRPTv1; rua=ftp://x.example/r");
        run();
        assertThat(findingsOf(ctx, Check.RPT_RUA_SCHEME))
                .extracting(Finding::severity)
                .containsExactly(Severity.WARNING, Severity.ERROR);
    }

    @Test
    void recordAtTheApexOrDraftName_only_isALocationError() {
        // RFC 8460 §3: reporters look at _smtp._tls only (not the draft's _smtp-tlsrpt).
        world.dns().txt("_smtp-tlsrpt." + DOMAIN, "v=TLSRPTv1; rua=mailto:a@x.example");
        run();
        Finding draft = single(Check.RPT_TXT_LOCATION);
        assertThat(draft.severity()).isEqualTo(Severity.ERROR);
        assertThat(draft.message()).contains("_smtp-tlsrpt." + DOMAIN);

        world.dns().remove("_smtp-tlsrpt." + DOMAIN).txt(DOMAIN, "v=TLSRPTv1; rua=mailto:a@x.example");
        run();
        assertThat(single(Check.RPT_TXT_LOCATION).severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void recordAtTheDraftNameAsWell_isALocationWarning() {
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:a@x.example");
        world.dns().txt("_smtp-tlsrpt." + DOMAIN, "v=TLSRPTv1; rua=mailto:a@x.example");
        run();
        assertThat(single(Check.RPT_TXT_LOCATION).severity()).isEqualTo(Severity.WARNING);
    }

    // ------------------------------------------------------------ cross-checks

    @Test
    void enforceOrTestingWithoutTlsRpt_isAWarning_noneIsNot() {
        // RFC 8461 §5: failures in testing or enforce are seen only through TLSRPT.
        TlsRptFacts none = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.ENFORCE), none);
        assertThat(single(Check.CROSS_NO_TLSRPT).severity()).isEqualTo(Severity.WARNING);

        none = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.TESTING), none);
        assertThat(single(Check.CROSS_NO_TLSRPT).message()).contains("testing");

        none = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.NONE), none);
        TlsRptCheck.crossCheck(ctx, Optional.empty(), none);
        assertThat(findingsOf(ctx, Check.CROSS_NO_TLSRPT)).isEmpty();
    }

    @Test
    void unusableRecordCountsAsNone() {
        world.dns().txt(NAME, "v=TLSRPTv1; rua=ftp://x.example/r");
        TlsRptFacts facts = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.ENFORCE), facts);
        assertThat(single(Check.CROSS_NO_TLSRPT).severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void mailtoInsideTheDomainUnderEnforce_isInfo() {
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:tls@reports." + DOMAIN + ",mailto:tls@other.example");
        TlsRptFacts facts = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.ENFORCE), facts);
        Finding f = single(Check.RPT_RUA_SAME_DOMAIN);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsExactly("mailto:tls@reports." + DOMAIN);

        facts = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.TESTING), facts);
        assertThat(findingsOf(ctx, Check.RPT_RUA_SAME_DOMAIN)).isEmpty();
    }

    @Test
    void mailtoAtALookalikeDomain_isNotSameDomain() {
        world.dns().txt(NAME, "v=TLSRPTv1; rua=mailto:tls@not" + DOMAIN);
        TlsRptFacts facts = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.ENFORCE), facts);
        assertThat(findingsOf(ctx, Check.RPT_RUA_SAME_DOMAIN)).isEmpty();
    }

    // ------------------------------------------------------------ active rua probes

    /** An HTTPS rua endpoint on 127.0.0.1 presenting {@code certificate}, answering {@code status}. */
    private int endpoint(TestCertificate certificate, int status) throws IOException {
        RuaEndpoint endpoint = new RuaEndpoint(certificate, status);
        https = endpoint;
        return endpoint.port();
    }

    private TlsRptFacts withRua(String uri, boolean probeHttps, boolean probePost) {
        world.dns().txt(NAME, "v=TLSRPTv1; rua=" + uri);
        ctx = context(
                DOMAIN,
                Worlds.options(world)
                        .probeRuaHttps(probeHttps)
                        .probeRuaPost(probePost)
                        .build());
        TlsRptFacts facts = TlsRptCheck.run(ctx);
        TlsRptCheck.crossCheck(ctx, policy(Mode.ENFORCE), facts);
        return facts;
    }

    @Test
    void ruaHttps_validEndpoint_noFinding() throws IOException {
        // RFC 8460 §3: an https: rua must be reachable with a valid certificate.
        world.dns().a("reports.rpt.example", "127.0.0.1");
        int port = endpoint(
                world.certificateAuthority()
                        .issue()
                        .dnsNames("reports.rpt.example")
                        .build(),
                200);
        withRua("https://reports.rpt.example:" + port + "/tlsrpt", true, false);
        assertThat(ctx.findings()).isEmpty();
    }

    @Test
    void ruaHttps_wrongName_isAWarning() throws IOException {
        world.dns().a("reports.rpt.example", "127.0.0.1");
        int port = endpoint(
                world.certificateAuthority()
                        .issue()
                        .dnsNames("other.rpt.example")
                        .build(),
                200);
        withRua("https://reports.rpt.example:" + port + "/tlsrpt", true, false);
        Finding f = single(Check.RPT_RUA_HTTPS);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.message()).contains("no subjectAltName dNSName matches");
    }

    @Test
    void ruaHttps_untrustedOrExpired_isAWarning() throws IOException {
        world.dns().a("reports.rpt.example", "127.0.0.1");
        int port = endpoint(
                world.certificateAuthority()
                        .issue()
                        .dnsNames("reports.rpt.example")
                        .expired()
                        .build(),
                200);
        withRua("https://reports.rpt.example:" + port + "/tlsrpt", true, false);
        assertThat(single(Check.RPT_RUA_HTTPS).severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void ruaHttps_hostDoesNotResolve_isAWarning() {
        withRua("https://nowhere.rpt.example/tlsrpt", true, false);
        Finding f = single(Check.RPT_RUA_HTTPS);
        assertThat(f.message()).contains("does not resolve");
    }

    @Test
    void ruaHttps_nothingListening_isAWarning() throws IOException {
        world.dns().a("reports.rpt.example", "127.0.0.1");
        int port = endpoint(
                world.certificateAuthority()
                        .issue()
                        .dnsNames("reports.rpt.example")
                        .build(),
                200);
        requireNonNull(https).close();
        withRua("https://reports.rpt.example:" + port + "/tlsrpt", true, false);
        assertThat(single(Check.RPT_RUA_HTTPS).message())
                .contains("TLS handshake")
                .contains("failed");
    }

    @Test
    void ruaHttps_addressLookupFails_isAWarningNamingTheFailure() {
        world.dns().fault("reports.rpt.example", DnsFault.SERVFAIL);
        withRua("https://reports.rpt.example/tlsrpt", true, false);
        assertThat(single(Check.RPT_RUA_HTTPS).message()).contains("lookup failed");
    }

    @Test
    void ruaHttps_offByDefault() {
        world.dns().txt(NAME, "v=TLSRPTv1; rua=https://nowhere.rpt.example/tlsrpt");
        TlsRptFacts facts = run();
        TlsRptCheck.crossCheck(ctx, policy(Mode.ENFORCE), facts);
        assertThat(ctx.findings()).isEmpty();
    }

    @Test
    void ruaPost_acceptingEndpoint_getsARealGzipReport() throws IOException {
        // RFC 8460 §5.3: reports are POSTed as application/tlsrpt+gzip.
        int port = endpoint(
                world.certificateAuthority().issue().dnsNames("localhost").build(), 201);
        withRua("https://localhost:" + port + "/tlsrpt", false, true);
        assertThat(ctx.findings()).isEmpty();
        RuaEndpoint.Received got = requireNonNull(https).last().orElseThrow();
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.contentType()).isEqualTo("application/tlsrpt+gzip");
        String json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(got.body()))) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(json)
                .contains("\"organization-name\"")
                .contains(RuaProbe.ORGANIZATION)
                .contains(DOMAIN);
    }

    @Test
    void ruaPost_refusingEndpoint_isAWarning() throws IOException {
        int port = endpoint(
                world.certificateAuthority().issue().dnsNames("localhost").build(), 415);
        withRua("https://localhost:" + port + "/tlsrpt", false, true);
        Finding f = single(Check.RPT_RUA_POST);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.message()).contains("HTTP 415");
    }

    @Test
    void ruaPost_untrustedCertificate_isAWarning() throws IOException {
        int port = endpoint(
                world.certificateAuthority()
                        .issue()
                        .dnsNames("localhost")
                        .selfSigned()
                        .build(),
                200);
        withRua("https://localhost:" + port + "/tlsrpt", false, true);
        assertThat(single(Check.RPT_RUA_POST).message()).contains("failed");
    }
}
