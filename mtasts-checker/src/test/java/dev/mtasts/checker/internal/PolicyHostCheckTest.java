package dev.mtasts.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.PolicyHostFacts;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.Worlds;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.HttpFault;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The policy host probe against real loopback policy hosts, one loopback address each. */
final class PolicyHostCheckTest {
    private static final String DOMAIN = "host-check.example";
    private static final String HOST = "mta-sts." + DOMAIN;
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx." + DOMAIN + "\nmax_age: 604800\n";

    /** Every check this class owns. */
    private static final Set<Check> OWN = Set.of(
            Check.STS_HOST_RESOLVE,
            Check.STS_HOST_TLS,
            Check.STS_HOST_CERT,
            Check.STS_HTTP_STATUS,
            Check.STS_HTTP_CTYPE,
            Check.STS_HTTP_SIZE,
            Check.STS_HTTP_ENCODING,
            Check.STS_HTTP_TIMEOUT,
            Check.STS_HOST_CONSISTENCY,
            Check.STS_MAX_AGE_CERT);

    @AutoClose
    private final MultiAddressWorld world = MultiAddressWorld.start();

    @AutoClose("shutdownNow")
    private final ExecutorService executor = Executors.newCachedThreadPool();

    private record Run(PolicyHostCheck.Result result, List<Finding> findings, CheckContext ctx) {
        List<Finding> of(Check check) {
            return findings.stream().filter(f -> f.check() == check).toList();
        }

        Finding only(Check check, Severity severity) {
            List<Finding> found = of(check);
            assertThat(found).as("%s findings in %s", check.id(), findings).hasSize(1);
            assertThat(found.get(0).severity()).isEqualTo(severity);
            return found.get(0);
        }

        List<Finding> problems() {
            return findings.stream().filter(f -> f.severity() != Severity.INFO).toList();
        }
    }

    private CheckOptions.Builder options() {
        return Worlds.options(world);
    }

    private Run run() {
        return run(options().build());
    }

    private Run run(CheckOptions options) {
        CheckContext ctx = new CheckContext(DOMAIN, options, executor, f -> {});
        PolicyHostCheck.Result result = PolicyHostCheck.run(ctx);
        return new Run(result, ctx.findings(), ctx);
    }

    private FakePolicyHost host() {
        FakePolicyHost host = world.policyHost(DOMAIN);
        host.policy(DOMAIN, POLICY);
        return host;
    }

    // ------------------------------------------------------------------ healthy

    @Test
    void healthyHost_noErrorOrWarning_bodyAcceptedAndFactsRecorded() {
        world.healthy(DOMAIN);
        Run run = run();
        // RFC 8461 §3.3: a 200 text/plain answer over TLS 1.2+ with a valid certificate is the policy.
        assertThat(run.problems()).isEmpty();
        assertThat(run.result().senderWouldAccept()).isTrue();
        assertThat(new String(run.result().body().orElseThrow(), StandardCharsets.UTF_8))
                .startsWith("version: STSv1\nmode: enforce\n");
        PolicyHostFacts facts = run.result().addresses().get(0);
        assertThat(facts.httpStatus()).hasValue(200);
        assertThat(facts.contentType()).hasValue("text/plain");
        assertThat(facts.tlsVersion()).hasValueSatisfying(v -> assertThat(v).isIn("TLSv1.2", "TLSv1.3"));
        assertThat(facts.certificate().orElseThrow().dnsNames()).containsExactly(HOST);
        assertThat(facts.bodySha256()).hasValueSatisfying(h -> assertThat(h).hasSize(64));
        assertThat(facts.error()).isEmpty();
    }

    @Test
    void healthyHost_sendsTheSendersRequestWithSni() {
        FakePolicyHost host = host();
        run();
        // RFC 8461 §3.3: GET /.well-known/mta-sts.txt from mta-sts.<domain>, SNI naming it.
        var request = host.takeRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/.well-known/mta-sts.txt");
        assertThat(request.sni()).hasValue(HOST);
        assertThat(host.requestCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ sts.host.resolve

    @Test
    void noAddress_isAnError() {
        world.dns().txt("_mta-sts." + DOMAIN, "v=STSv1; id=1;");
        Run run = run();
        // RFC 8461 §3.3: the policy lives at mta-sts.<domain>; no address means no policy.
        assertThat(run.only(Check.STS_HOST_RESOLVE, Severity.ERROR).message()).contains("no A or AAAA");
        assertThat(run.result().addresses()).isEmpty();
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    @Test
    void dnsFailure_isAnErrorNamingTheFailure() {
        host();
        world.dns().fault(HOST, DnsFault.SERVFAIL);
        Run run = run();
        // RFC 8461 §3.3 with §10.2: a temporary failure is not "no host"; the resolver's answer is shown.
        Finding finding = run.only(Check.STS_HOST_RESOLVE, Severity.ERROR);
        assertThat(finding.message()).contains("temporarily");
        assertThat(finding.evidence()).anySatisfy(e -> assertThat(e).contains("SERVFAIL"));
    }

    @Test
    void loopbackAddress_isAWarningUnlessExpected() {
        host();
        // RFC 8461 §3.3 and our SSRF filter: senders refusing internal addresses cannot fetch.
        Run strict = run(options().privateAddressesExpected(false).build());
        assertThat(strict.only(Check.STS_HOST_RESOLVE, Severity.WARNING).message())
                .contains("loopback");
        Run lab = run();
        assertThat(lab.only(Check.STS_HOST_RESOLVE, Severity.INFO).message()).contains("as expected");
        assertThat(lab.problems()).isEmpty();
    }

    @Test
    void ipv6Off_listsIpv6AddressesWithoutProbingThem() {
        host();
        world.dns().aaaa(HOST, "::1");
        Run run = run(options().ipv6(false).build());
        // Both addresses listed; the IPv6 one carries why it was not probed, and causes no finding.
        assertThat(run.result().addresses()).hasSize(2);
        PolicyHostFacts v6 = run.result().addresses().stream()
                .filter(f -> f.address().getHostAddress().contains(":"))
                .findFirst()
                .orElseThrow();
        assertThat(v6.error()).hasValueSatisfying(e -> assertThat(e).contains("IPv6 probing is off"));
        assertThat(v6.httpStatus()).isEmpty();
        assertThat(run.problems()).isEmpty();
        assertThat(run.result().senderWouldAccept()).isTrue();
    }

    @Test
    void onlyIpv6Addresses_withIpv6Off_saySoInsteadOfStayingSilent() {
        host();
        world.dns().remove(HOST, "A");
        world.dns().aaaa(HOST, "::1");
        Run run = run(options().ipv6(false).build());
        assertThat(run.of(Check.STS_HOST_RESOLVE))
                .anySatisfy(f -> assertThat(f.message()).contains("IPv6 probing is off"))
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(run.problems()).isEmpty();
        assertThat(run.result().senderWouldAccept()).isFalse();
        assertThat(run.result().body()).isEmpty();
    }

    // ------------------------------------------------------------------ sts.host.tls

    @Test
    void failedHandshake_isATlsError() {
        FakePolicyHost host = host();
        host.respond(DOMAIN, PolicyResponse.fault(HttpFault.FAIL_HANDSHAKE));
        Run run = run();
        // RFC 8461 §3.3, §7.2: the policy is fetched over TLS 1.2 or later only.
        assertThat(run.only(Check.STS_HOST_TLS, Severity.ERROR).message()).contains("handshake");
        assertThat(run.result().senderWouldAccept()).isFalse();
        assertThat(run.result().body()).isEmpty();
        assertThat(host.requestCount()).isZero();
    }

    @Test
    void unreachableSecondAddress_isATlsError_andAConsistencyWarning() {
        host();
        world.dns().a(HOST, "127.0.0.254"); // nothing listens there on the world's port
        Run run = run();
        // RFC 8461 §3.3: every published address must serve the policy over HTTPS.
        Finding tls = run.only(Check.STS_HOST_TLS, Severity.ERROR);
        assertThat(tls.message()).contains("127.0.0.254").contains("cannot connect");
        // Senders fall back to the next address after a failed connection: late, but they get it.
        assertThat(run.only(Check.STS_HOST_CONSISTENCY, Severity.WARNING).message())
                .contains("cannot be reached at 127.0.0.254");
        assertThat(run.result().senderWouldAccept()).isTrue();
    }

    @Test
    void unreachableFirstAddress_senderUsesTheNextOne() {
        world.dns().a(HOST, "127.0.0.254");
        host(); // its A record comes second
        Run run = run();
        assertThat(run.result().addresses().get(0).address().getHostAddress()).isEqualTo("127.0.0.254");
        assertThat(run.result().addresses().get(0).error())
                .hasValueSatisfying(e -> assertThat(e).contains("cannot connect"));
        // The sender's connect falls through to the second address, which serves the policy.
        assertThat(run.result().senderWouldAccept()).isTrue();
        assertThat(run.result().body()).isPresent();
    }

    // ------------------------------------------------------------------ sts.host.cert

    @Test
    void expiredCertificate_isACertError() {
        FakePolicyHost host = host();
        host.certificate(
                DOMAIN,
                world.certificateAuthority().issue().dnsNames(HOST).expired().build());
        Run run = run();
        // RFC 8461 §3.3: the certificate must be valid (RFC 6125 / PKIX) for the policy host.
        assertThat(run.only(Check.STS_HOST_CERT, Severity.ERROR).message()).contains("has expired");
        assertThat(run.result().senderWouldAccept()).isFalse();
        // The body is still read for the content checks.
        assertThat(run.result().body()).isPresent();
    }

    @Test
    void certificateExpiringWithin14Days_isAWarningOnly() {
        FakePolicyHost host = host();
        host.certificate(
                DOMAIN,
                world.certificateAuthority()
                        .issue()
                        .dnsNames(HOST)
                        .notAfter(Instant.now().plus(Duration.ofDays(5)))
                        .build());
        Run run = run();
        // RFC 8461 §3.3: still valid, so senders accept it; the owner is warned.
        assertThat(run.only(Check.STS_HOST_CERT, Severity.WARNING).message()).contains("14 days");
        assertThat(run.result().senderWouldAccept()).isTrue();
    }

    @Test
    void certificateForAnotherName_isACertError() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.WRONG_CERTIFICATE)
                        .build());
        Run run = run();
        // RFC 8461 §3.3: a SAN dNSName must match mta-sts.<domain>.
        Finding finding = run.only(Check.STS_HOST_CERT, Severity.ERROR);
        assertThat(finding.message()).contains("no subjectAltName dNSName").contains(HOST);
        assertThat(finding.evidence()).anySatisfy(e -> assertThat(e).contains(FakePolicyHost.WRONG_NAME));
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    @Test
    void commonNameOnlyCertificate_isACertError_noCnFallback() {
        FakePolicyHost host = host();
        host.certificate(
                DOMAIN,
                world.certificateAuthority()
                        .issue()
                        .commonName(HOST)
                        .noSubjectAltNames()
                        .build());
        Run run = run();
        // RFC 8461 §3.3 with RFC 6125 §6.4.4: no fallback to the subject CN.
        assertThat(run.only(Check.STS_HOST_CERT, Severity.ERROR).message()).contains("the subject CN is never used");
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    @Test
    void untrustedCertificate_isACertError() {
        FakePolicyHost host = host();
        TestCertificateAuthority stranger = TestCertificateAuthority.create("untrusted CA");
        host.certificate(DOMAIN, stranger.issue().dnsNames(HOST).build());
        Run run = run();
        // RFC 8461 §3.3: the chain must lead to a trusted root.
        assertThat(run.only(Check.STS_HOST_CERT, Severity.ERROR).message()).contains("not trusted");
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    // ------------------------------------------------------------------ sts.http.status

    @Test
    void redirect_isReportedWithLocation_andNeverFollowed() {
        FakePolicyHost host = host();
        String other = "elsewhere.example";
        FakePolicyHost target = world.policyHost(other);
        target.policy(other, POLICY);
        String location = "https://mta-sts." + other + ":" + world.httpsPort() + "/.well-known/mta-sts.txt";
        host.respond(DOMAIN, PolicyResponse.redirect(location));
        Run run = run();
        // RFC 8461 §3.3: senders must not follow redirects.
        Finding finding = run.only(Check.STS_HTTP_STATUS, Severity.ERROR);
        assertThat(finding.message()).contains("301").contains(location).contains("never follow");
        assertThat(run.result().addresses().get(0).location()).hasValue(location);
        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(target.requestCount()).isZero();
        assertThat(target.connectionCount()).isZero();
        assertThat(run.result().senderWouldAccept()).isFalse();
        assertThat(run.result().body()).isEmpty();
    }

    @Test
    void notFound_hasItsOwnMessage() {
        FakePolicyHost host = host();
        host.removePolicy(DOMAIN);
        Run run = run();
        // RFC 8461 §3.3: only 200 gives a policy; 404 means none is published.
        assertThat(run.only(Check.STS_HTTP_STATUS, Severity.ERROR).message())
                .contains("404 Not Found")
                .contains("/.well-known/mta-sts.txt");
        assertThat(run.result().addresses().get(0).httpStatus()).hasValue(404);
        assertThat(run.of(Check.STS_HTTP_CTYPE)).isEmpty();
    }

    @Test
    void serverError_isAStatusError() {
        FakePolicyHost host = host();
        host.respond(DOMAIN, PolicyResponse.builder().status(503).body(POLICY).build());
        Run run = run();
        // RFC 8461 §3.3: only 200.
        assertThat(run.only(Check.STS_HTTP_STATUS, Severity.ERROR).message()).contains("503");
        assertThat(run.result().body()).isEmpty();
    }

    @Test
    void closeDelimitedBody_isRefusedLikeTheSenderDoes() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.CLOSE_DELIMITED_BODY)
                        .build());
        Run run = run();
        // RFC 9112 §9.8: a body ended by the connection's close could be cut; the sender refuses it.
        assertThat(run.only(Check.STS_HTTP_STATUS, Severity.ERROR).evidence())
                .anySatisfy(e -> assertThat(e).contains("neither Content-Length nor chunked"));
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    // ------------------------------------------------------------------ sts.http.ctype

    @Test
    void wrongContentType_isAnError() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.WRONG_CONTENT_TYPE)
                        .build());
        Run run = run();
        // RFC 8461 §3.2: the policy is text/plain.
        assertThat(run.only(Check.STS_HTTP_CTYPE, Severity.ERROR).message()).contains("text/html");
        assertThat(run.result().addresses().get(0).contentType()).hasValue("text/html; charset=utf-8");
        assertThat(run.result().senderWouldAccept()).isFalse();
        // Still handed to the content checks.
        assertThat(run.result().body()).isPresent();
    }

    @Test
    void missingContentType_isAnError() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN, PolicyResponse.builder().body(POLICY).noContentType().build());
        Run run = run();
        // RFC 8461 §3.2.
        assertThat(run.only(Check.STS_HTTP_CTYPE, Severity.ERROR).message()).contains("no Content-Type");
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    @Test
    void contentTypeParameters_areIgnored() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .contentType("Text/Plain; charset=utf-8")
                        .build());
        Run run = run();
        // RFC 8461 §3.2: the media type is text/plain; parameters and case do not matter (RFC 9110 §8.3.1).
        assertThat(run.of(Check.STS_HTTP_CTYPE)).isEmpty();
        assertThat(run.result().senderWouldAccept()).isTrue();
    }

    // ------------------------------------------------------------------ sts.http.size

    @Test
    void oversizedBody_isASizeError() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.OVERSIZED_BODY)
                        .build());
        Run run = run();
        // RFC 8461 §3.3: senders cap the body; ours at 64 KiB, and never truncates.
        assertThat(run.only(Check.STS_HTTP_SIZE, Severity.ERROR).message()).contains("64 KiB");
        assertThat(run.result().addresses().get(0).bodySize()).hasValue(PolicyResponse.OVERSIZED_LENGTH);
        assertThat(run.result().senderWouldAccept()).isFalse();
        assertThat(run.result().body()).isEmpty();
    }

    @Test
    void endlessChunkedBody_isASizeErrorNotAHang() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.ENDLESS_BODY)
                        .build());
        Run run = run();
        // RFC 8461 §3.3: the cap is counted while streaming.
        run.only(Check.STS_HTTP_SIZE, Severity.ERROR);
        assertThat(run.of(Check.STS_HTTP_TIMEOUT)).isEmpty();
    }

    // ------------------------------------------------------------------ sts.http.encoding

    @Test
    void byteOrderMark_isAnEncodingError() {
        FakePolicyHost host = host();
        byte[] policy = POLICY.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[policy.length + 3];
        body[0] = (byte) 0xef;
        body[1] = (byte) 0xbb;
        body[2] = (byte) 0xbf;
        System.arraycopy(policy, 0, body, 3, policy.length);
        host.respond(DOMAIN, PolicyResponse.builder().body(body).build());
        Run run = run();
        // RFC 8461 §3.2: the grammar has no byte order mark.
        assertThat(run.only(Check.STS_HTTP_ENCODING, Severity.ERROR).message()).contains("byte order mark");
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    @Test
    void invalidUtf8_isAnEncodingErrorWithItsOffset() {
        FakePolicyHost host = host();
        byte[] body = (POLICY + "x-note: caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        host.respond(DOMAIN, PolicyResponse.builder().body(body).build());
        Run run = run();
        // RFC 8461 §3.2: the policy is UTF-8.
        Finding finding = run.only(Check.STS_HTTP_ENCODING, Severity.ERROR);
        assertThat(finding.message()).contains("not valid UTF-8");
        assertThat(finding.evidence()).anySatisfy(e -> assertThat(e).contains("offset " + (POLICY.length() + 11)));
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    @Test
    void contentEncoding_isAnEncodingError() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .header("Content-Encoding", "gzip")
                        .build());
        Run run = run();
        // RFC 8461 §3.3: senders ask for no content coding and refuse one.
        assertThat(run.only(Check.STS_HTTP_ENCODING, Severity.ERROR).message()).contains("Content-Encoding");
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    // ------------------------------------------------------------------ sts.http.timeout

    @Test
    void slowHeaders_hitTheDeadline() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.SLOW_HEADERS)
                        .delay(Duration.ofSeconds(10))
                        .build());
        long start = System.nanoTime();
        Run run = run(options().httpTimeout(Duration.ofMillis(700)).build());
        // RFC 8461 §3.3: a sender gives up on a fetch that takes too long.
        assertThat(run.only(Check.STS_HTTP_TIMEOUT, Severity.ERROR).evidence())
                .anySatisfy(e -> assertThat(e).contains("700 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(run.result().senderWouldAccept()).isFalse();
    }

    @Test
    void trickledBody_hitsTheWholeResponseDeadline() {
        FakePolicyHost host = host();
        host.respond(
                DOMAIN,
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.TRICKLE_BODY)
                        .trickle(1, Duration.ofMillis(50))
                        .build());
        long start = System.nanoTime();
        Run run = run(options().httpTimeout(Duration.ofMillis(800)).build());
        // RFC 8461 §3.3: the deadline covers the whole response, not each read.
        run.only(Check.STS_HTTP_TIMEOUT, Severity.ERROR);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(run.result().body()).isEmpty();
    }

    // ------------------------------------------------------------------ sts.host.consistency

    @Test
    void twoAddressesServingDifferentPolicies_isAnError() {
        FakePolicyHost first = host();
        FakePolicyHost second = world.policyHost(DOMAIN);
        second.policy(DOMAIN, POLICY.replace("enforce", "testing"));
        second.certificate(DOMAIN, first.certificate(DOMAIN));
        Run run = run();
        // RFC 8461 §3.3: a sender gets whichever policy its address serves.
        Finding finding = run.only(Check.STS_HOST_CONSISTENCY, Severity.ERROR);
        assertThat(finding.message()).contains("different policy bodies");
        assertThat(finding.evidence()).hasSize(2);
        assertThat(run.result().addresses()).hasSize(2);
        // The body a sender uses comes from the first address in DNS order.
        assertThat(new String(run.result().body().orElseThrow(), StandardCharsets.UTF_8))
                .contains("mode: enforce");
    }

    @Test
    void oneAddressFailing_isAnErrorNamingOnlyThatAddress() {
        FakePolicyHost first = host();
        FakePolicyHost second = world.policyHost(DOMAIN);
        second.certificate(DOMAIN, first.certificate(DOMAIN)); // 404: no policy set on it
        Run run = run();
        Finding status = run.only(Check.STS_HTTP_STATUS, Severity.ERROR);
        assertThat(status.message()).contains(second.address().getAddress().getHostAddress());
        assertThat(status.message()).doesNotContain(first.address().getAddress().getHostAddress());
        // RFC 8461 §3.3: acceptance depends on the address.
        run.only(Check.STS_HOST_CONSISTENCY, Severity.ERROR);
    }

    @Test
    void sameProblemOnEveryAddress_isOneFindingNamingThemAll() {
        FakePolicyHost first = host();
        FakePolicyHost second = world.policyHost(DOMAIN);
        second.certificate(DOMAIN, first.certificate(DOMAIN));
        first.removePolicy(DOMAIN);
        Run run = run();
        Finding status = run.only(Check.STS_HTTP_STATUS, Severity.ERROR);
        assertThat(status.message())
                .contains(first.address().getAddress().getHostAddress())
                .contains(second.address().getAddress().getHostAddress());
        // Identical answers: nothing inconsistent.
        assertThat(run.of(Check.STS_HOST_CONSISTENCY)).isEmpty();
    }

    @Test
    void onlyCertificatesDiffering_isAWarning() {
        host();
        FakePolicyHost second = world.policyHost(DOMAIN); // its own valid certificate
        second.policy(DOMAIN, POLICY);
        Run run = run();
        // RFC 8461 §3.3: both acceptable, same policy; only the certificate differs.
        assertThat(run.only(Check.STS_HOST_CONSISTENCY, Severity.WARNING).evidence())
                .allSatisfy(e -> assertThat(e).contains("certificate sha256"));
        assertThat(run.problems()).hasSize(1);
        assertThat(run.result().senderWouldAccept()).isTrue();
    }

    @Test
    void identicalAddresses_areConsistent() {
        FakePolicyHost first = host();
        FakePolicyHost second = world.policyHost(DOMAIN);
        second.policy(DOMAIN, POLICY);
        second.certificate(DOMAIN, first.certificate(DOMAIN));
        Run run = run();
        assertThat(run.problems()).isEmpty();
        assertThat(run.result().addresses()).hasSize(2);
    }

    // ------------------------------------------------------------------ sts.max_age.cert

    @Test
    void maxAgeLongerThanCertificateLife_isAWarning() {
        host(); // the test CA's certificates live about 30 days
        Run run = run();
        PolicyFacts policy = new PolicyFacts(
                List.of(), Optional.empty(), Optional.empty(), List.of(), Optional.of(Duration.ofDays(365)), false);
        PolicyHostCheck.maxAgeVersusCertificate(run.ctx(), run.result(), policy);
        // RFC 8461 §3.3, §10.2: the policy outlives the certificate it is served under.
        Finding finding = run.ctx().findings().stream()
                .filter(f -> f.check() == Check.STS_MAX_AGE_CERT)
                .findFirst()
                .orElseThrow();
        assertThat(finding.severity()).isEqualTo(Severity.WARNING);
        assertThat(finding.message()).contains("max_age 31536000 s");
        assertThat(finding.lenient()).isFalse();
    }

    @Test
    void maxAgeShorterThanCertificateLife_isFine() {
        host();
        Run run = run();
        PolicyFacts policy = new PolicyFacts(
                List.of(), Optional.empty(), Optional.empty(), List.of(), Optional.of(Duration.ofDays(7)), false);
        PolicyHostCheck.maxAgeVersusCertificate(run.ctx(), run.result(), policy);
        assertThat(run.ctx().findings()).noneMatch(f -> f.check() == Check.STS_MAX_AGE_CERT);
    }

    @Test
    void maxAgeAgainstTheShortestLivedCertificate_amongAddresses() {
        FakePolicyHost first = host();
        FakePolicyHost second = world.policyHost(DOMAIN);
        second.policy(DOMAIN, POLICY);
        second.certificate(
                DOMAIN,
                world.certificateAuthority()
                        .issue()
                        .dnsNames(HOST)
                        .notAfter(Instant.now().plus(Duration.ofDays(20)))
                        .build());
        assertThat(first.certificate(DOMAIN).certificate().getNotAfter().toInstant())
                .isAfter(Instant.now().plus(Duration.ofDays(25)));
        Run run = run();
        PolicyFacts policy = new PolicyFacts(
                List.of(), Optional.empty(), Optional.empty(), List.of(), Optional.of(Duration.ofDays(25)), true);
        PolicyHostCheck.maxAgeVersusCertificate(run.ctx(), run.result(), policy);
        Finding finding = run.ctx().findings().stream()
                .filter(f -> f.check() == Check.STS_MAX_AGE_CERT)
                .findFirst()
                .orElseThrow();
        assertThat(finding.evidence())
                .anySatisfy(e ->
                        assertThat(e).contains(second.address().getAddress().getHostAddress()));
        // Read from a lenient re-parse: marked so.
        assertThat(finding.lenient()).isTrue();
    }

    @Test
    void healthyDomain_triggersNoneOfTheseChecksAboveInfo() {
        world.healthy(DOMAIN);
        Run run = run(options().privateAddressesExpected(false).build());
        // Only the loopback address of the test world itself is worth a word.
        assertThat(run.problems()).allSatisfy(f -> assertThat(f.check()).isEqualTo(Check.STS_HOST_RESOLVE));
        assertThat(run.findings()).allSatisfy(f -> assertThat(OWN).contains(f.check()));
        PolicyFacts policy = new PolicyFacts(
                List.of(), Optional.empty(), Optional.empty(), List.of(), Optional.of(Duration.ofDays(7)), false);
        PolicyHostCheck.maxAgeVersusCertificate(run.ctx(), run.result(), policy);
        assertThat(run.ctx().findings()).noneMatch(f -> f.check() == Check.STS_MAX_AGE_CERT);
    }
}
