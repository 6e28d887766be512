package dev.mtasts.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.MxAddressFacts;
import dev.mtasts.checker.MxHostFacts;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.ProbeResult;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.Worlds;
import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.SmtpFault;
import dev.mtasts.testkit.server.SmtpSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The MX checks against real loopback DNS and SMTP servers, one address per server. */
final class MxCheckTest {
    private static final String DOMAIN = "mx-check.example";
    private static final String MX = "mx." + DOMAIN;

    @AutoClose
    private final MultiAddressWorld world = MultiAddressWorld.start();

    @AutoClose("shutdownNow")
    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());

    // ---------------------------------------------------------------- helpers

    private static PolicyFacts policy(String text) {
        Policy policy = Policy.parse(text);
        return new PolicyFacts(
                policy.lines(),
                Optional.of(policy),
                Optional.of(policy.mode()),
                policy.mx().stream().map(Object::toString).toList(),
                Optional.of(policy.maxAge()),
                false);
    }

    private static PolicyFacts enforce(String... patterns) {
        return policy(mode("enforce", patterns));
    }

    private static String mode(String mode, String... patterns) {
        StringBuilder sb = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
        for (String p : patterns) {
            sb.append("mx: ").append(p).append('\n');
        }
        return sb.append("max_age: 604800\n").toString();
    }

    private List<MxHostFacts> run(Optional<PolicyFacts> policy) {
        return run(policy, UnaryOperator.identity());
    }

    private List<MxHostFacts> run(Optional<PolicyFacts> policy, UnaryOperator<CheckOptions.Builder> tune) {
        CheckContext ctx =
                new CheckContext(DOMAIN, tune.apply(Worlds.options(world)).build(), executor, findings::add);
        return MxCheck.run(ctx, policy);
    }

    private List<Finding> findings(Check check) {
        synchronized (findings) {
            return findings.stream().filter(f -> f.check() == check).toList();
        }
    }

    private List<Finding> problems() {
        synchronized (findings) {
            return findings.stream().filter(f -> f.severity() != Severity.INFO).toList();
        }
    }

    private static MxHostFacts only(List<MxHostFacts> hosts) {
        assertThat(hosts).hasSize(1);
        return hosts.get(0);
    }

    // ---------------------------------------------------------------- healthy

    @Test
    void healthy_noErrorsOrWarnings_factsComplete_sniIsTheMxName_quitPolitely() {
        // RFC 8461 §4.1, §4.2, §7.1: a covered MX with STARTTLS and a valid certificate for its name
        world.healthy(DOMAIN);
        FakeSmtpServer server = world.mx(DOMAIN, 20, "mx2." + DOMAIN);

        List<MxHostFacts> hosts = run(Optional.of(enforce(MX, "*." + DOMAIN)));

        assertThat(problems()).isEmpty();
        assertThat(findings).noneMatch(f -> f.id().startsWith("sts.mx."));
        assertThat(hosts).extracting(MxHostFacts::host).containsExactly(MX, "mx2." + DOMAIN);
        assertThat(hosts.get(0).preference()).isEqualTo(10);
        assertThat(hosts.get(0).matchingPattern()).contains(MX);
        assertThat(hosts.get(1).matchingPattern()).contains("*." + DOMAIN);
        assertThat(hosts).allSatisfy(h -> {
            assertThat(h.covered()).isTrue();
            assertThat(h.implicit()).isFalse();
            assertThat(h.addresses()).singleElement().satisfies(a -> {
                assertThat(a.probe()).isEqualTo(ProbeResult.TLS_OK);
                assertThat(a.tlsVersion()).hasValueSatisfying(v -> assertThat(v).isIn("TLSv1.2", "TLSv1.3"));
                assertThat(a.certificateNameMatches()).contains(true);
                assertThat(a.certificate())
                        .hasValueSatisfying(c -> assertThat(c.dnsNames()).containsExactly(h.host()));
                assertThat(a.error()).isEmpty();
            });
        });
        SmtpSession session = server.takeSession();
        assertThat(session.sniReceived()).contains("mx2." + DOMAIN);
        assertThat(session.tlsUsed()).isTrue();
        assertThat(session.quit()).isTrue();
        // RFC 5321 §4.1.3: an address literal, no name the checker does not own
        assertThat(session.commands()).anySatisfy(c -> assertThat(c).startsWith("EHLO [127."));
    }

    @Test
    void mxOrder_byPreference_duplicateNamesOnce() {
        // RFC 5321 §5.1: lower preference first; one host per name
        world.mx(DOMAIN, 30, "c." + DOMAIN);
        world.mx(DOMAIN, 5, "b." + DOMAIN);
        world.dns().mx(DOMAIN, 40, "b." + DOMAIN);

        List<MxHostFacts> hosts = run(Optional.of(enforce("*." + DOMAIN)));

        assertThat(hosts).extracting(MxHostFacts::host).containsExactly("b." + DOMAIN, "c." + DOMAIN);
        assertThat(hosts).extracting(MxHostFacts::preference).containsExactly(5, 30);
    }

    // ---------------------------------------------------------------- lookup

    @Test
    void mxLookupServfail_isAnError_notNoMx() {
        // RFC 8461 §10.2: a DNS failure is never "no records"
        world.dns().fault(DOMAIN, "MX", DnsFault.SERVFAIL);

        List<MxHostFacts> hosts = run(Optional.of(enforce(MX)));

        assertThat(hosts).isEmpty();
        assertThat(findings(Check.STS_MX_LOOKUP)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("failed temporarily");
        });
        assertThat(findings(Check.STS_MX_COVERAGE)).isEmpty();
    }

    @Test
    void nullMx_isInformation_andNothingIsProbedOrCovered() {
        // RFC 7505: one MX with the root as exchange, preference 0: no mail accepted
        world.dns().mx(DOMAIN, 0, ".");

        List<MxHostFacts> hosts = run(Optional.of(enforce(MX)));

        assertThat(hosts).isEmpty();
        assertThat(findings(Check.STS_MX_LOOKUP)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.message()).contains("null MX");
        });
        assertThat(problems()).isEmpty();
    }

    @Test
    void nullMxBesideOtherMx_isAWarning_andTheOthersAreChecked() {
        // RFC 7505 §3: a domain with a null MX must not publish other MX records
        world.mx(DOMAIN, 10, MX);
        world.dns().mx(DOMAIN, 0, ".");

        List<MxHostFacts> hosts = run(Optional.of(enforce(MX)));

        assertThat(hosts).extracting(MxHostFacts::host).containsExactly(MX);
        assertThat(findings(Check.STS_MX_LOOKUP))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.WARNING);
    }

    @Test
    void noMx_usesTheImplicitMx_warning_andProbesTheDomainItself() {
        // RFC 5321 §5.1, RFC 8461 §4.1: the implicit MX is the domain, matched and probed like any MX
        FakeSmtpServer server = world.mxAddress(DOMAIN);

        List<MxHostFacts> hosts = run(Optional.of(enforce(DOMAIN)));

        assertThat(findings(Check.STS_MX_LOOKUP)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("implicit MX");
        });
        MxHostFacts host = only(hosts);
        assertThat(host.host()).isEqualTo(DOMAIN);
        assertThat(host.implicit()).isTrue();
        assertThat(host.preference()).isZero();
        assertThat(host.covered()).isTrue();
        assertThat(host.addresses())
                .singleElement()
                .extracting(MxAddressFacts::probe)
                .isEqualTo(ProbeResult.TLS_OK);
        assertThat(server.takeSession().sniReceived()).contains(DOMAIN);
        assertThat(findings(Check.STS_MX_COVERAGE)).isEmpty();
    }

    @Test
    void implicitMxNotInPolicy_isNotCovered() {
        // RFC 8461 §4.1: the implicit MX needs a pattern like any other
        world.mxAddress(DOMAIN);

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.covered()).isFalse();
        assertThat(findings(Check.STS_MX_COVERAGE)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("implicit MX " + DOMAIN);
        });
    }

    @Test
    void mxWithoutAddress_isAResolveError() {
        // RFC 5321 §5.1: an MX name that resolves to nothing cannot take mail
        world.healthy(DOMAIN);
        world.dns().mx(DOMAIN, 20, "ghost." + DOMAIN);

        List<MxHostFacts> hosts = run(Optional.of(enforce("*." + DOMAIN)));

        assertThat(findings(Check.STS_MX_RESOLVE)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("ghost." + DOMAIN).contains("no A or AAAA");
        });
        assertThat(hosts.get(1).addresses()).isEmpty();
        assertThat(findings(Check.STS_MX_PROBE)).isEmpty();
    }

    // ---------------------------------------------------------------- coverage

    @Test
    void wildcard_coversExactlyOneLabel_deeperHostIsUncoveredInEnforce() {
        // RFC 8461 §4.1: *.example.com matches mx.example.com but not a.b.example.com
        world.mx(DOMAIN, 10, MX);
        world.mx(DOMAIN, 20, "a.b." + DOMAIN);

        List<MxHostFacts> hosts = run(Optional.of(enforce("*." + DOMAIN)));

        assertThat(hosts.get(0).covered()).isTrue();
        assertThat(hosts.get(1).covered()).isFalse();
        assertThat(hosts.get(1).matchingPattern()).isEmpty();
        assertThat(findings(Check.STS_MX_COVERAGE)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("a.b." + DOMAIN).contains("exactly one label");
            assertThat(f.evidence()).contains("mx: *." + DOMAIN);
            assertThat(f.lenient()).isFalse();
        });
    }

    @Test
    void uncoveredMx_isAWarningInTesting_andInformationInNone() {
        // RFC 8461 §5: testing delivers anyway and reports; none applies nothing
        world.mx(DOMAIN, 10, MX);

        run(Optional.of(policy(mode("testing", "other." + DOMAIN))));
        assertThat(findings(Check.STS_MX_COVERAGE))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.WARNING);

        findings.clear();
        run(Optional.of(policy(mode("none", "other." + DOMAIN))));
        assertThat(findings(Check.STS_MX_COVERAGE))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.INFO);
        assertThat(findings(Check.STS_MX_STALE_PATTERN)).isEmpty();
    }

    @Test
    void noneWithoutMx_isNotACoverageProblem() {
        // RFC 8461 §3.2: mode none needs no mx lines
        world.mx(DOMAIN, 10, MX);

        run(Optional.of(policy("version: STSv1\nmode: none\nmax_age: 86400\n")));

        assertThat(findings(Check.STS_MX_COVERAGE)).isEmpty();
        assertThat(problems()).isEmpty();
    }

    @Test
    void patternMatchingNoMx_isStale() {
        // RFC 8461 §4.1: a pattern that lists a host no longer in DNS
        world.mx(DOMAIN, 10, MX);

        run(Optional.of(enforce(MX, "old." + DOMAIN)));

        assertThat(findings(Check.STS_MX_STALE_PATTERN)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("old." + DOMAIN);
        });
        assertThat(findings(Check.STS_MX_COVERAGE)).isEmpty();
    }

    @Test
    void lenientPolicy_coverageFromReadableMxLines_isMarkedLenient() {
        // CHK-API-4: the strict parse failed; readable mx lines still give coverage, marked lenient
        world.mx(DOMAIN, 10, MX);
        PolicyFacts lenient = new PolicyFacts(
                List.of("version: STSv1", "mode: enforce", "mx: other." + DOMAIN, "mx: *bad*", "max_age: x"),
                Optional.empty(),
                Optional.of(Mode.ENFORCE),
                List.of("other." + DOMAIN, "*bad*"),
                Optional.empty(),
                true);

        MxHostFacts host = only(run(Optional.of(lenient)));

        assertThat(host.covered()).isFalse();
        assertThat(findings(Check.STS_MX_COVERAGE)).singleElement().satisfies(f -> {
            assertThat(f.lenient()).isTrue();
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
        });
        assertThat(findings(Check.STS_MX_STALE_PATTERN))
                .singleElement()
                .satisfies(f -> assertThat(f.lenient()).isTrue());
    }

    @Test
    void lenientPolicy_trailingDotPatternStillCovers() {
        // CHK-API-4: "mx: mx.example.com." breaks the grammar (RFC 8461 §3.2) but plainly means the host
        world.mx(DOMAIN, 10, MX);
        PolicyFacts lenient = new PolicyFacts(
                List.of("version: STSv1", "mode: enforce", "mx: " + MX + ".", "max_age: 604800"),
                Optional.empty(),
                Optional.of(Mode.ENFORCE),
                List.of(MX + "."),
                Optional.of(Duration.ofDays(7)),
                true);

        MxHostFacts host = only(run(Optional.of(lenient)));

        assertThat(host.covered()).isTrue();
        assertThat(host.matchingPattern()).contains(MX);
        assertThat(findings(Check.STS_MX_COVERAGE)).isEmpty();
        assertThat(findings(Check.STS_MX_STALE_PATTERN)).isEmpty();
    }

    @Test
    void noPolicy_listsAndProbes_withoutCoverage() {
        // RFC 8461 §4.1: coverage needs a policy; without one the hosts are still listed and probed
        world.mx(DOMAIN, 10, MX);

        MxHostFacts host = only(run(Optional.empty()));

        assertThat(host.covered()).isFalse();
        assertThat(host.addresses())
                .singleElement()
                .extracting(MxAddressFacts::probe)
                .isEqualTo(ProbeResult.TLS_OK);
        assertThat(findings).isEmpty();
    }

    // ---------------------------------------------------------------- every address

    @Test
    void everyAddressIsProbed_onlyTheFailingSecondAddressIsNamed() {
        // RFC 8461 §4.2: a sender may land on any address, so each one must offer STARTTLS
        FakeSmtpServer first = world.mx(DOMAIN, 10, MX);
        FakeSmtpServer second = world.mxAddress(MX).fault(SmtpFault.STARTTLS_NOT_OFFERED);

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses()).hasSize(2);
        MxAddressFacts good = address(host, first);
        MxAddressFacts bad = address(host, second);
        assertThat(good.probe()).isEqualTo(ProbeResult.TLS_OK);
        assertThat(bad.probe()).isEqualTo(ProbeResult.NO_STARTTLS);
        assertThat(bad.error()).hasValueSatisfying(e -> assertThat(e).contains("STARTTLS"));
        String badIp = second.address().getAddress().getHostAddress();
        String goodIp = first.address().getAddress().getHostAddress();
        assertThat(findings(Check.STS_MX_STARTTLS)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.evidence()).singleElement().asString().startsWith(badIp + ":");
            assertThat(String.join(" ", f.evidence())).doesNotContain(goodIp);
        });
        assertThat(first.connectionCount()).isEqualTo(1);
        assertThat(second.connectionCount()).isEqualTo(1);
    }

    @Test
    void sameProblemAtTwoAddresses_isOneFindingListingBoth() {
        // RFC 8461 §4.2 per address, reported once per host and problem
        world.mx(DOMAIN, 10, MX).fault(SmtpFault.STARTTLS_NOT_OFFERED);
        world.mxAddress(MX).fault(SmtpFault.STARTTLS_NOT_OFFERED);

        run(Optional.of(enforce(MX)));

        assertThat(findings(Check.STS_MX_STARTTLS))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence()).hasSize(2));
    }

    @Test
    void twoAddressesWithDifferentCertificates_eachIsJudgedOnItsOwn() {
        // RFC 8461 §4.2 per address: no session or verdict of one address stands in for the other
        FakeSmtpServer first = world.mx(DOMAIN, 10, MX);
        FakeSmtpServer second = world.mxAddress(
                MX, world.certificateAuthority().issue().dnsNames(MX).expired().build());

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(address(host, first).certificate())
                .hasValueSatisfying(c -> assertThat(c.notAfter()).isAfter(Instant.now()));
        assertThat(address(host, second).certificate())
                .hasValueSatisfying(c -> assertThat(c.notAfter()).isBefore(Instant.now()));
        String secondIp = second.address().getAddress().getHostAddress();
        assertThat(findings(Check.STS_MX_CERT))
                .singleElement()
                .satisfies(
                        f -> assertThat(f.evidence()).singleElement().asString().startsWith(secondIp + ":"));
        assertThat(first.takeSession().sniReceived()).contains(MX);
        assertThat(second.takeSession().sniReceived()).contains(MX);
    }

    private static MxAddressFacts address(MxHostFacts host, FakeSmtpServer server) {
        return host.addresses().stream()
                .filter(a -> a.address().equals(server.address().getAddress()))
                .findFirst()
                .orElseThrow();
    }

    // ---------------------------------------------------------------- STARTTLS and TLS

    @Test
    void startTlsNotOffered_isAnErrorInEnforce_andAWarningInTesting() {
        // RFC 8461 §5: enforce refuses the MX; testing only reports
        world.mx(DOMAIN, 10, MX).fault(SmtpFault.STARTTLS_NOT_OFFERED);

        run(Optional.of(enforce(MX)));
        assertThat(findings(Check.STS_MX_STARTTLS))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.ERROR);

        findings.clear();
        run(Optional.of(policy(mode("testing", MX))));
        assertThat(findings(Check.STS_MX_STARTTLS))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.WARNING);
    }

    @Test
    void startTlsRefusedWith454_isNoStartTls() {
        // RFC 3207 §4: 454 TLS not available
        world.mx(DOMAIN, 10, MX).fault(SmtpFault.STARTTLS_REFUSED);

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses().get(0).probe()).isEqualTo(ProbeResult.NO_STARTTLS);
        assertThat(findings(Check.STS_MX_STARTTLS))
                .singleElement()
                .satisfies(
                        f -> assertThat(f.evidence()).singleElement().asString().contains("454"));
    }

    @Test
    void handshakeFailure_isTlsFailed_reportedAsStartTls() {
        // RFC 8461 §4.2: STARTTLS must lead to a working TLS session
        world.mx(DOMAIN, 10, MX).fault(SmtpFault.FAIL_HANDSHAKE);

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses().get(0).probe()).isEqualTo(ProbeResult.TLS_FAILED);
        assertThat(findings(Check.STS_MX_STARTTLS)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("handshake fails");
        });
        assertThat(findings(Check.STS_MX_TLS_VERSION)).isEmpty();
    }

    @Test
    void serverWithoutTls12_isATlsVersionError() {
        // RFC 8461 §7.2: TLS 1.2 or later
        world.mx(DOMAIN, 10, MX).fault(SmtpFault.TLS_PROTOCOL_TOO_OLD);

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses().get(0).probe()).isEqualTo(ProbeResult.TLS_FAILED);
        assertThat(findings(Check.STS_MX_TLS_VERSION)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.evidence()).singleElement().asString().contains("protocol_version");
        });
        assertThat(findings(Check.STS_MX_STARTTLS)).isEmpty();
    }

    // ---------------------------------------------------------------- certificates

    @Test
    void certificateForAnotherName_isACertError() {
        // RFC 8461 §4.2: the certificate must name the MX host
        world.mx(
                DOMAIN,
                10,
                MX,
                world.certificateAuthority().issue().dnsNames("other.example").build());

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses().get(0).certificateNameMatches()).contains(false);
        assertThat(findings(Check.STS_MX_CERT)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("no subjectAltName dNSName matching " + MX);
            assertThat(f.evidence()).singleElement().asString().contains("other.example");
        });
    }

    @Test
    void commonNameOnlyCertificate_fails_noCnFallback() {
        // RFC 8461 §4.2 with RFC 6125 §6.4.4: the subject CN is never used when checking names
        world.mx(
                DOMAIN,
                10,
                MX,
                world.certificateAuthority()
                        .issue()
                        .commonName(MX)
                        .noSubjectAltNames()
                        .build());

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses().get(0).certificateNameMatches()).contains(false);
        assertThat(findings(Check.STS_MX_CERT)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("only in the subject CN");
        });
    }

    @Test
    void expiredCertificate_isACertError() {
        // RFC 8461 §4.2: not expired
        world.mx(
                DOMAIN,
                10,
                MX,
                world.certificateAuthority().issue().dnsNames(MX).expired().build());

        run(Optional.of(enforce(MX)));

        assertThat(findings(Check.STS_MX_CERT)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("has expired");
        });
    }

    @Test
    void certificateExpiringWithin14Days_isAWarning() {
        // RFC 8461 §4.2 (not expired): warned 14 days ahead
        Instant now = Instant.now();
        world.mx(
                DOMAIN,
                10,
                MX,
                world.certificateAuthority()
                        .issue()
                        .dnsNames(MX)
                        .notBefore(now.minus(Duration.ofDays(80)))
                        .notAfter(now.plus(Duration.ofDays(5)))
                        .build());

        run(Optional.of(enforce(MX)));

        assertThat(findings(Check.STS_MX_CERT)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("expires within 14 days");
        });
    }

    @Test
    void certificateExpiringIn20Days_isFine() {
        // RFC 8461 §4.2: valid and not close to expiry
        Instant now = Instant.now();
        world.mx(
                DOMAIN,
                10,
                MX,
                world.certificateAuthority()
                        .issue()
                        .dnsNames(MX)
                        .notAfter(now.plus(Duration.ofDays(20)))
                        .build());

        run(Optional.of(enforce(MX)));

        assertThat(findings(Check.STS_MX_CERT)).isEmpty();
    }

    @Test
    void untrustedCertificate_isACertError() {
        // RFC 8461 §4.2: chains to a trusted root
        world.mx(
                DOMAIN,
                10,
                MX,
                world.certificateAuthority().issue().dnsNames(MX).selfSigned().build());

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses().get(0).certificateNameMatches()).contains(true);
        assertThat(host.addresses().get(0).error()).isPresent();
        assertThat(findings(Check.STS_MX_CERT)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("not trusted").doesNotContain("dNSName");
        });
    }

    @Test
    void wildcardCertificate_coversOneLabel() {
        // RFC 8461 §4.2, RFC 6125 §6.4.3: *.example.com is valid for mx.example.com
        world.mx(
                DOMAIN,
                10,
                MX,
                world.certificateAuthority().issue().dnsNames("*." + DOMAIN).build());

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses().get(0).certificateNameMatches()).contains(true);
        assertThat(problems()).isEmpty();
    }

    // ---------------------------------------------------------------- probe off, unreachable

    @Test
    void unreachableAddress_isInformation_neverAnError() {
        // port 25 is often blocked from where the checker runs: unknown, not a server fault
        world.mx(DOMAIN, 10, MX);
        String nobody = world.unusedMxAddress();
        world.dns().a(MX, nobody);

        MxHostFacts host = only(run(Optional.of(enforce(MX))));

        assertThat(host.addresses()).hasSize(2);
        assertThat(host.addresses())
                .filteredOn(a -> a.address().getHostAddress().equals(nobody))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.probe()).isEqualTo(ProbeResult.UNREACHABLE);
                    assertThat(a.error()).isPresent();
                });
        assertThat(findings(Check.STS_MX_PROBE)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.evidence()).singleElement().asString().startsWith(nobody + ":");
        });
        assertThat(problems()).isEmpty();
    }

    @Test
    void probeOff_addressesNotProbed_noProbeFindings_noConnection() {
        // CHK-API-2: skip the SMTP probe
        FakeSmtpServer server = world.mx(DOMAIN, 10, MX).fault(SmtpFault.STARTTLS_NOT_OFFERED);

        MxHostFacts host = only(run(Optional.of(enforce(MX)), b -> b.probeSmtp(false)));

        assertThat(host.addresses()).singleElement().satisfies(a -> {
            assertThat(a.probe()).isEqualTo(ProbeResult.NOT_PROBED);
            assertThat(a.tlsVersion()).isEmpty();
            assertThat(a.certificate()).isEmpty();
        });
        assertThat(findings)
                .noneMatch(f -> f.check() == Check.STS_MX_STARTTLS
                        || f.check() == Check.STS_MX_CERT
                        || f.check() == Check.STS_MX_TLS_VERSION
                        || f.check() == Check.STS_MX_PROBE);
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void ipv6Off_listsTheIpv6AddressUnprobed_ipv4StillProbed() {
        // CHK-API-2: IPv6 on/off; every address is still listed
        world.mx(DOMAIN, 10, MX);
        world.dns().aaaa(MX, "::1");

        MxHostFacts host = only(run(Optional.of(enforce(MX)), b -> b.ipv6(false)));

        assertThat(host.addresses()).hasSize(2);
        assertThat(host.addresses())
                .extracting(MxAddressFacts::probe)
                .containsExactlyInAnyOrder(ProbeResult.TLS_OK, ProbeResult.NOT_PROBED);
        assertThat(problems()).isEmpty();
    }

    // ---------------------------------------------------------------- Postfix 3.10.5+

    @Test
    void hostDeeperThanWildcard_isSkippedByNewPostfix_acceptedByMatchDot() {
        // RFC 8461 §4.1 one-label rule (Postfix 3.10.5+) versus match=.example.com (any depth)
        world.mx(DOMAIN, 10, "a.b." + DOMAIN);

        run(Optional.of(enforce("*." + DOMAIN)));

        assertThat(findings(Check.STS_MX_POSTFIX_SKIP)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("a.b." + DOMAIN).contains("match=." + DOMAIN);
        });
    }

    @Test
    void uncoveredHostWhoseCertificateNamesAPattern_isSkippedByNewPostfix() {
        // Postfix before 3.10.5 matches the certificate against the patterns, not the MX name
        world.mx(
                DOMAIN,
                10,
                "mail.provider.example",
                world.certificateAuthority()
                        .issue()
                        .dnsNames("mail.provider.example", MX)
                        .build());

        run(Optional.of(enforce(MX)));

        assertThat(findings(Check.STS_MX_COVERAGE))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.ERROR);
        assertThat(findings(Check.STS_MX_POSTFIX_SKIP))
                .singleElement()
                .satisfies(f -> assertThat(f.message())
                        .contains("mail.provider.example")
                        .contains("certificate name " + MX + " via match=" + MX)
                        .doesNotContain("assuming"));
    }

    @Test
    void uncoveredHostThatNoMatchEntryAccepts_isNoPostfixDifference() {
        // RFC 8461 §4.1: uncovered for every sender, so no Postfix difference
        world.mx(DOMAIN, 10, "mail.provider.example");

        run(Optional.of(enforce(MX)));

        assertThat(findings(Check.STS_MX_COVERAGE)).hasSize(1);
        assertThat(findings(Check.STS_MX_POSTFIX_SKIP)).isEmpty();
    }

    @Test
    void untrustedCertificate_failsOldPostfixToo_noPostfixDifference() {
        // RFC 8461 §4.2: an untrusted certificate fails old and new Postfix alike
        world.mx(
                DOMAIN,
                10,
                "a.b." + DOMAIN,
                world.certificateAuthority()
                        .issue()
                        .dnsNames("a.b." + DOMAIN)
                        .selfSigned()
                        .build());

        run(Optional.of(enforce("*." + DOMAIN)));

        assertThat(findings(Check.STS_MX_POSTFIX_SKIP)).isEmpty();
    }

    @Test
    void postfixSkip_onlyInEnforce() {
        // RFC 8461 §5: only enforce makes a sender skip an MX
        world.mx(DOMAIN, 10, "a.b." + DOMAIN);

        run(Optional.of(policy(mode("testing", "*." + DOMAIN))));

        assertThat(findings(Check.STS_MX_POSTFIX_SKIP)).isEmpty();
    }

    @Test
    void postfixSkip_withoutProbe_assumesTheCertificateNamesTheHost() {
        // RFC 8461 §4.1 one-label rule against match=.domain, decided from the name alone
        world.mx(DOMAIN, 10, "a.b." + DOMAIN);

        run(Optional.of(enforce("*." + DOMAIN)), b -> b.probeSmtp(false));

        assertThat(findings(Check.STS_MX_POSTFIX_SKIP))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("assuming the certificate names the host"));
    }
}
