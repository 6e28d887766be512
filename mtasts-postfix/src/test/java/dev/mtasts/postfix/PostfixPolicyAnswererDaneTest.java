package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dane.DaneLookup;
import dev.mtasts.core.dane.DaneResult;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TrustAnchors;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.postfix.AnswerListener.AnswerKind;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.DnssecFault;
import dev.mtasts.testkit.server.SignedZone;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zones with {@code dane: true} against a real loopback world whose {@code dane.test} zone is
 * DNSSEC-signed: a real validating resolver and {@link DaneLookup} in front of the MTA-STS engine.
 * Every domain also publishes an MTA-STS policy, enforce unless its name says testing, so an answer
 * shows which of the two decided.
 */
final class PostfixPolicyAnswererDaneTest {
    /** A SHA-256 digest's worth of hex: the mapping never checks it against a certificate. */
    private static final String DIGEST = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1";

    private static MtaStsWorld world;
    private static SignedZone signed;

    @BeforeAll
    static void startWorld() {
        world = MtaStsWorld.builder()
                .domain(
                        "only.dane.test",
                        d -> d.mx(10, "mx1.only.dane.test")
                                .mx(20, "mx2.only.dane.test")
                                .policy(Mode.ENFORCE, "*.only.dane.test"))
                .domain(
                        "partial.dane.test",
                        d -> d.mx(10, "mx1.partial.dane.test")
                                .mx(20, "mx2.partial.dane.test")
                                .policy(Mode.ENFORCE, "*.partial.dane.test"))
                .domain(
                        "partialtesting.dane.test",
                        d -> d.mx(10, "mx1.partialtesting.dane.test")
                                .mx(20, "mx2.partialtesting.dane.test")
                                .policy(Mode.TESTING, "*.partialtesting.dane.test"))
                .domain(
                        "partialdown.dane.test",
                        d -> d.mx(10, "mx1.partialdown.dane.test")
                                .mx(20, "mx2.partialdown.dane.test")
                                .policy(Mode.ENFORCE, "*.partialdown.dane.test"))
                .domain(
                        "partialslow.dane.test",
                        d -> d.mx(10, "mx1.partialslow.dane.test")
                                .mx(20, "mx2.partialslow.dane.test")
                                .policy(Mode.ENFORCE, "*.partialslow.dane.test"))
                .domain(
                        "unusabletesting.dane.test",
                        d -> d.mx(10, "mx.unusabletesting.dane.test")
                                .policy(Mode.TESTING, "mx.unusabletesting.dane.test"))
                .domain(
                        "unusable.dane.test",
                        d -> d.mx(10, "mx.unusable.dane.test").policy(Mode.ENFORCE, "mx.unusable.dane.test"))
                .domain(
                        "bogus.dane.test",
                        d -> d.mx(10, "mx.bogus.dane.test").policy(Mode.ENFORCE, "mx.bogus.dane.test"))
                .domain(
                        "notlsa.dane.test",
                        d -> d.mx(10, "mx.notlsa.dane.test").policy(Mode.ENFORCE, "mx.notlsa.dane.test"))
                .domain(
                        "sts.plain.dane.test",
                        d -> d.mx(10, "mx.sts.plain.dane.test").policy(Mode.ENFORCE, "mx.sts.plain.dane.test"))
                .domain("slow.dane.test", d -> d.mx(10, "mx.slow.dane.test").policy(Mode.ENFORCE, "mx.slow.dane.test"))
                .domain(
                        "outside.example",
                        d -> d.mx(10, "mx.outside.example").policy(Mode.ENFORCE, "mx.outside.example"))
                .build()
                .start();
        signed = world.dns().signedZone("dane.test");
        world.dns().unsignedZone("plain.dane.test");
        tlsa("mx1.only.dane.test", "3 1 1 " + DIGEST);
        tlsa("mx2.only.dane.test", "2 0 1 " + DIGEST);
        tlsa("mx1.partial.dane.test", "3 1 1 " + DIGEST);
        tlsa("mx1.partialtesting.dane.test", "3 1 1 " + DIGEST);
        tlsa("mx1.partialdown.dane.test", "3 1 1 " + DIGEST);
        world.dns().fault("_mta-sts.partialdown.dane.test", "TXT", DnsFault.SERVFAIL);
        tlsa("mx1.partialslow.dane.test", "3 1 1 " + DIGEST);
        world.dns().delay("_mta-sts.partialslow.dane.test", "TXT", Duration.ofSeconds(5));
        // RFC 7672 §3.1.3: PKIX-EE(1) is unusable for SMTP
        tlsa("mx.unusable.dane.test", "1 1 1 " + DIGEST);
        tlsa("mx.unusabletesting.dane.test", "1 1 1 " + DIGEST);
        tlsa("mx.bogus.dane.test", "3 1 1 " + DIGEST);
        signed.fault("bogus.dane.test", DnssecFault.BAD_SIGNATURE);
        world.dns().delay("slow.dane.test", "MX", Duration.ofSeconds(3));
    }

    private static void tlsa(String mxHost, String data) {
        world.dns().record("_25._tcp." + mxHost, "TLSA", data);
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }

    private static MtaSts mtaSts() {
        return mtaSts(Duration.ofSeconds(2));
    }

    private static MtaSts mtaSts(Duration dnsTimeout) {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), dnsTimeout);
        return MtaSts.builder()
                .dns(dns)
                .fetcher(world.policyFetcher(dns).timeout(Duration.ofSeconds(5)).build())
                .build();
    }

    private static DaneLookup daneLookup() {
        SecureDnsResolver resolver = SecureDnsResolver.builder()
                .server(world.dnsAddress())
                .trustAnchors(TrustAnchors.parse(signed.trustAnchor()))
                .timeout(Duration.ofSeconds(2))
                .build();
        return DaneLookup.builder().resolver(resolver).build();
    }

    private static PostfixPolicyAnswerer answerer(AnswerListener listener) {
        return PostfixPolicyAnswerer.builder(mtaSts())
                .defaultZone(ZoneSettings.defaults().withDane(true))
                .zone("stsonly", ZoneSettings.defaults())
                .dane(daneLookup())
                .listener(listener)
                .build();
    }

    private static String answer(SocketmapHandler answerer, String zone, String key) {
        return answerer.answer(zone, key)
                .toCompletableFuture()
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    // RFC 7672 §2.2, PF-DANE-3, PF-DANE-4: every MX host has usable TLSA: dane-only, before MTA-STS
    @Test
    void dane_everyMxWithUsableTlsa_isDaneOnly() {
        List<AnswerKind> kinds = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = answerer(new AnswerListener() {
            @Override
            public void answered(String zone, AnswerKind kind, long nanos) {
                kinds.add(kind);
            }
        });
        assertThat(answer(answerer, "postfix", "only.dane.test")).isEqualTo("OK dane-only");
        // PF-KEY-2: the key is normalised first, and the cached DANE state answers at once
        CompletableFuture<String> again =
                answerer.answer("postfix", "[ONLY.dane.test]:25").toCompletableFuture();
        assertThat(again).isCompletedWithValue("OK dane-only");
        assertThat(kinds).containsExactly(AnswerKind.DANE_ONLY, AnswerKind.DANE_ONLY);
    }

    // RFC 7672 §2.2, RFC 8461 §2, PF-DANE-10: one MX host without TLSA and an enforced policy: "OK dane"
    // would give that host "may"; dane-only uses only the DANE-authenticated host
    @Test
    void dane_someMxWithoutTlsaAndEnforcedPolicy_isDaneOnly() {
        List<AnswerKind> kinds = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = answerer(new AnswerListener() {
            @Override
            public void answered(String zone, AnswerKind kind, long nanos) {
                kinds.add(kind);
            }
        });
        assertThat(answer(answerer, "postfix", "partial.dane.test")).isEqualTo("OK dane-only");
        // The DANE state and the policy both cached: answered at once, the same way
        CompletableFuture<String> again =
                answerer.answer("postfix", "partial.dane.test").toCompletableFuture();
        assertThat(again).isCompletedWithValue("OK dane-only");
        assertThat(kinds).containsExactly(AnswerKind.DANE_ONLY, AnswerKind.DANE_ONLY);
        // DANE alone would have left the host without TLSA to Postfix's opportunistic level
        assertThat(daneLookup().lookup("partial.dane.test")).isInstanceOf(DaneResult.Found.class);
    }

    // RFC 7672 §2.2, PF-DANE-5: one MX host without TLSA and a testing policy: Postfix's per-host level
    @Test
    void dane_someMxWithoutTlsaAndTestingPolicy_isDane() {
        assertThat(answer(answerer(new AnswerListener() {}), "postfix", "partialtesting.dane.test"))
                .isEqualTo("OK dane");
    }

    // RFC 7672 §3.1.3, RFC 8461 §2, PF-DANE-11: TLSA present but none usable and an enforced policy:
    // the policy's validated TLS, not the unauthenticated TLS of "OK dane"
    @Test
    void dane_onlyUnusableTlsaAndEnforcedPolicy_isTheSecureAnswer() {
        List<AnswerKind> kinds = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = answerer(new AnswerListener() {
            @Override
            public void answered(String zone, AnswerKind kind, long nanos) {
                kinds.add(kind);
            }
        });
        assertThat(answer(answerer, "postfix", "unusable.dane.test"))
                .isEqualTo("OK secure match=mx.unusable.dane.test servername=hostname");
        assertThat(kinds).containsExactly(AnswerKind.SECURE);
    }

    // RFC 7672 §2.2, §3.1.3, PF-DANE-5: TLSA present but none usable and a testing policy: TLS still
    // required through "OK dane"
    @Test
    void dane_onlyUnusableTlsaAndTestingPolicy_isDane() {
        assertThat(answer(answerer(new AnswerListener() {}), "postfix", "unusabletesting.dane.test"))
                .isEqualTo("OK dane");
    }

    // RFC 8461 §10.2, PF-DANE-12: "OK dane" and a policy that cannot be looked up (SERVFAIL): TEMP as
    // without DANE, or "OK dane" when temp_on_dns_error is false; never NOTFOUND
    @Test
    void dane_someMxWithoutTlsaAndPolicyUnavailable_isTempUnlessTempOnDnsErrorIsOff() {
        assertThat(answer(answerer(new AnswerListener() {}), "postfix", "partialdown.dane.test"))
                .isEqualTo("TEMP dns lookup failed");
        PostfixPolicyAnswerer noTemp = PostfixPolicyAnswerer.builder(mtaSts())
                .defaultZone(new ZoneSettings(false, Duration.ofSeconds(10), true, false, false, true))
                .dane(daneLookup())
                .build();
        assertThat(answer(noTemp, "postfix", "partialdown.dane.test")).isEqualTo("OK dane");
    }

    // RFC 7672 §2.1.1, PF-DANE-6: a bogus MX RRset defers the mail, never falls back to MTA-STS
    @Test
    void dane_bogusMx_isTemp() {
        List<AnswerKind> kinds = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = answerer(new AnswerListener() {
            @Override
            public void answered(String zone, AnswerKind kind, long nanos) {
                kinds.add(kind);
            }
        });
        assertThat(answer(answerer, "postfix", "bogus.dane.test")).isEqualTo("TEMP dnssec validation failed");
        assertThat(kinds).containsExactly(AnswerKind.TEMP);
        // The lookup itself shows why, so the answer is the lookup's and not a fault of the mapping
        assertThat(daneLookup().lookup("bogus.dane.test"))
                .isInstanceOfSatisfying(
                        DaneResult.Unavailable.class,
                        u -> assertThat(u.status()).isEqualTo(DnssecStatus.BOGUS));
    }

    // RFC 7672 §2.2.1, PF-DANE-8: an insecure MX RRset (unsigned delegation): the MTA-STS answer
    @Test
    void dane_insecureDomain_fallsThroughToMtaSts() {
        assertThat(answer(answerer(new AnswerListener() {}), "postfix", "sts.plain.dane.test"))
                .isEqualTo("OK secure match=mx.sts.plain.dane.test servername=hostname");
        assertThat(daneLookup().lookup("sts.plain.dane.test"))
                .isInstanceOfSatisfying(
                        DaneResult.NotApplicable.class,
                        n -> assertThat(n.status()).isEqualTo(DnssecStatus.INSECURE));
    }

    // RFC 7672 §2.2.1, PF-DANE-8: a name no trust anchor covers: the MTA-STS answer
    @Test
    void dane_domainOutsideTheTrustAnchor_fallsThroughToMtaSts() {
        assertThat(answer(answerer(new AnswerListener() {}), "postfix", "outside.example"))
                .isEqualTo("OK secure match=mx.outside.example servername=hostname");
    }

    // RFC 7672 §2.2, PF-DANE-8: secure MX, no TLSA at any host: the MTA-STS answer
    @Test
    void dane_secureMxWithoutTlsa_fallsThroughToMtaSts() {
        assertThat(answer(answerer(new AnswerListener() {}), "postfix", "notlsa.dane.test"))
                .isEqualTo("OK secure match=mx.notlsa.dane.test servername=hostname");
        // The MX RRset did validate: it is the missing TLSA that lets MTA-STS decide
        assertThat(daneLookup().lookup("notlsa.dane.test")).isInstanceOf(DaneResult.Found.class);
    }

    // RFC 8461 §10.2, PF-DANE-7, PF-DANE-12: DANE known ("OK dane") but the policy lookup outlasts the
    // timeout: the MTA-STS timeout answer, or "OK dane" rather than NOTFOUND without temp_on_dns_error
    @Test
    void dane_timeoutDuringThePolicyLookupAfterDane_isTempUnlessTempOnDnsErrorIsOff() {
        // The DNS timeout outlasts the zone's, so that it is the zone's timeout that answers
        PostfixPolicyAnswerer temp = PostfixPolicyAnswerer.builder(mtaSts(Duration.ofSeconds(8)))
                .defaultZone(new ZoneSettings(false, Duration.ofMillis(2500), true, false, true, true))
                .dane(daneLookup())
                .build();
        assertThat(answer(temp, "postfix", "partialslow.dane.test")).isEqualTo("TEMP policy lookup timed out");
        PostfixPolicyAnswerer noTemp = PostfixPolicyAnswerer.builder(mtaSts(Duration.ofSeconds(8)))
                .defaultZone(new ZoneSettings(false, Duration.ofMillis(2500), true, false, false, true))
                .dane(daneLookup())
                .build();
        assertThat(answer(noTemp, "postfix", "partialslow.dane.test")).isEqualTo("OK dane");
    }

    // PF-DANE-1: a zone without dane answers from MTA-STS alone, whatever DANE would say
    @Test
    void dane_zoneWithoutDane_isUnaffected() {
        PostfixPolicyAnswerer answerer = answerer(new AnswerListener() {});
        assertThat(answer(answerer, "stsonly", "only.dane.test"))
                .isEqualTo("OK secure match=.only.dane.test servername=hostname");
        assertThat(answer(answerer, "stsonly", "bogus.dane.test"))
                .isEqualTo("OK secure match=mx.bogus.dane.test servername=hostname");
    }

    // RFC 7672 §2.1.1, PF-DANE-7: DANE not known when the timeout passes: TEMP, even where an
    // MTA-STS timeout would be NOTFOUND (temp_on_dns_error: false)
    @Test
    void dane_timeoutBeforeDaneIsKnown_isTempEvenWithoutTempOnDnsError() {
        List<AnswerKind> kinds = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts())
                .defaultZone(new ZoneSettings(false, Duration.ofMillis(200), true, false, false, true))
                .dane(daneLookup())
                .listener(new AnswerListener() {
                    @Override
                    public void answered(String zone, AnswerKind kind, long nanos) {
                        kinds.add(kind);
                    }
                })
                .build();
        assertThat(answer(answerer, "postfix", "slow.dane.test")).isEqualTo("TEMP dane lookup timed out");
        assertThat(kinds).containsExactly(AnswerKind.TEMP);
    }

    // PF-DANE-1: a dane zone without a DaneLookup would silently answer without DANE: refused
    @Test
    void build_daneZoneWithoutLookup_isRefused() {
        assertThatThrownBy(() -> PostfixPolicyAnswerer.builder(mtaSts())
                        .zone("d", ZoneSettings.defaults().withDane(true))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dane");
    }
}
