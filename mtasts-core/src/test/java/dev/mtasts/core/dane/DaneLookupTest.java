package dev.mtasts.core.dane;

import static dev.mtasts.core.dane.ScriptedSecureDns.failure;
import static dev.mtasts.core.dane.ScriptedSecureDns.secure;
import static dev.mtasts.core.dane.ScriptedSecureDns.secureNone;
import static dev.mtasts.core.dane.ScriptedSecureDns.withStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.dns.ValidatedAnswer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class DaneLookupTest {
    static final TlsaRecord DANE_EE = TlsaRecord.of(3, 1, 1, new byte[32]);
    static final TlsaRecord DANE_TA = TlsaRecord.of(2, 0, 1, filled(32, 7));
    static final TlsaRecord PKIX_EE = TlsaRecord.of(1, 1, 1, filled(32, 1));

    private final ScriptedSecureDns dns = new ScriptedSecureDns();
    private final AtomicLong nanos = new AtomicLong(1_000);

    private static byte[] filled(int length, int value) {
        byte[] data = new byte[length];
        java.util.Arrays.fill(data, (byte) value);
        return data;
    }

    private DaneLookup lookup() {
        return DaneLookup.builder()
                .resolver(dns)
                .ticker(nanos::get)
                .cacheTtl(Duration.ofMinutes(5))
                .failureTtl(Duration.ofSeconds(30))
                .build();
    }

    /** example.com: one secure MX host mx.example.com with secure addresses and the TLSA given. */
    private ScriptedSecureDns oneHost(TlsaRecord... records) {
        return dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .secureAddress("mx.example.com")
                .secureTlsa("_25._tcp.mx.example.com", records);
    }

    private static DaneResult.Found found(DaneResult result) {
        assertThat(result).isInstanceOf(DaneResult.Found.class);
        return (DaneResult.Found) result;
    }

    private static MxDane host(DaneResult result, String host) {
        return found(result).host(host).orElseThrow();
    }

    @Test
    void lookup_bogusMxIsUnavailable() {
        // RFC 7672 §2.1.1, DANE-DEC-1: a bogus MX RRset defers, never "no DANE"
        dns.mx("example.com", ValidatedAnswer.bogus("example.com", "RRSIG expired"));
        DaneResult result = lookup().lookup("example.com");
        assertThat(result).isInstanceOf(DaneResult.Unavailable.class);
        assertThat(((DaneResult.Unavailable) result).status()).isEqualTo(DnssecStatus.BOGUS);
        assertThat(((DaneResult.Unavailable) result).detail()).contains("RRSIG expired");
        assertThat(result.forMx("mx.example.com")).isInstanceOf(MxDane.Failed.class);
        assertThat(dns.queries()).containsExactly("MX example.com");
    }

    @Test
    void lookup_mxFailureIsUnavailable() {
        // RFC 7672 §2.1.1, DANE-DEC-1: a failed MX lookup is not "no DANE" either
        dns.mx("example.com", failure(DnsResult.FailureKind.TIMEOUT, "example.com"));
        DaneResult result = lookup().lookup("example.com");
        assertThat(result).isInstanceOf(DaneResult.Unavailable.class);
        assertThat(((DaneResult.Unavailable) result).detail()).contains("TIMEOUT");
    }

    @Test
    void lookup_insecureOrIndeterminateMxIsNotApplicable() {
        // RFC 7672 §2.2.1, DANE-DEC-2: DANE needs a secure MX RRset; no TLSA is looked up otherwise
        dns.mx(
                "insecure.example",
                withStatus(
                        DnssecStatus.INSECURE, List.of(new MxRecord(10, "mx.insecure.example")), "insecure.example"));
        dns.mx(
                "island.example",
                withStatus(
                        DnssecStatus.INDETERMINATE, List.of(new MxRecord(10, "mx.island.example")), "island.example"));
        DaneLookup lookup = lookup();
        DaneResult insecure = lookup.lookup("insecure.example");
        DaneResult island = lookup.lookup("island.example");
        assertThat(insecure).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(((DaneResult.NotApplicable) insecure).status()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(island).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(((DaneResult.NotApplicable) island).status()).isEqualTo(DnssecStatus.INDETERMINATE);
        assertThat(insecure.forMx("mx.insecure.example"))
                .isInstanceOfSatisfying(
                        MxDane.NotApplicable.class,
                        n -> assertThat(n.reason()).isEqualTo(MxDane.NotApplicable.Reason.MX_INSECURE));
        assertThat(dns.queries()).containsExactly("MX insecure.example", "MX island.example");
    }

    @Test
    void lookup_secureNxdomainIsNotApplicable() {
        // DANE-DEC-3: a domain that securely does not exist has nothing to deliver to
        dns.mx("gone.example", secureNone(DnsResult.NoRecordsKind.NXDOMAIN, "gone.example"));
        DaneResult result = lookup().lookup("gone.example");
        assertThat(result).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(((DaneResult.NotApplicable) result).detail()).contains("does not exist");
        assertThat(dns.queries()).containsExactly("MX gone.example");
    }

    @Test
    void lookup_secureNodataUsesTheImplicitMx() {
        // RFC 5321 §5.1, DANE-DEC-4: no MX records, so the domain itself is the MX host
        dns.mx("example.com", secureNone(DnsResult.NoRecordsKind.NODATA, "example.com"))
                .secureAddress("example.com")
                .secureTlsa("_25._tcp.example.com", DANE_EE);
        DaneResult.Found found = found(lookup().lookup("example.com"));
        assertThat(found.mx()).containsExactly(new MxRecord(0, "example.com"));
        assertThat(found.host("example.com").orElseThrow()).isInstanceOfSatisfying(MxDane.Usable.class, usable -> {
            assertThat(usable.tlsaBaseDomain()).isEqualTo("example.com");
            assertThat(usable.referenceNames()).containsExactly("example.com");
        });
    }

    @Test
    void lookup_nullMxIsNotApplicable() {
        // RFC 7505 §3, DANE-DEC-5: a null MX accepts no mail; no host to look up
        dns.secureMx("nomail.example", new MxRecord(0, ""));
        DaneResult result = lookup().lookup("nomail.example");
        assertThat(result).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(((DaneResult.NotApplicable) result).detail()).contains("null MX");
        assertThat(dns.queries()).containsExactly("MX nomail.example");
    }

    @Test
    void lookup_nullMxBesideRealHostsIsDropped() {
        // RFC 7505 §3, DANE-DEC-5: the null MX is ignored when real hosts are listed beside it
        dns.secureMx("example.com", new MxRecord(0, "."), new MxRecord(10, "mx.example.com"))
                .secureAddress("mx.example.com")
                .secureTlsa("_25._tcp.mx.example.com", DANE_EE);
        DaneResult.Found found = found(lookup().lookup("example.com"));
        assertThat(found.mx()).containsExactly(new MxRecord(10, "mx.example.com"));
        assertThat(found.hosts()).containsOnlyKeys("mx.example.com");
    }

    @Test
    void lookup_mxSortedByPreferenceTiesInAnswerOrder() {
        // RFC 5321 §5.1, DANE-DEC-6: lowest preference first, equal preferences in answer order
        dns.secureMx(
                "example.com",
                new MxRecord(20, "c.example.com"),
                new MxRecord(10, "b.example.com"),
                new MxRecord(10, "a.example.com"),
                new MxRecord(5, "d.example.com"));
        for (String host : List.of("a", "b", "c", "d")) {
            dns.secureAddress(host + ".example.com").secureTlsa("_25._tcp." + host + ".example.com", DANE_EE);
        }
        DaneResult.Found found = found(lookup().lookup("example.com"));
        assertThat(found.mx())
                .extracting(MxRecord::exchange)
                .containsExactly("d.example.com", "b.example.com", "a.example.com", "c.example.com");
        assertThat(found.hosts().values()).allMatch(MxDane.Usable.class::isInstance);
    }

    @Test
    void lookup_mxExchangeNamesAreNormalised() {
        // DANE-DEC-18: hosts are keyed and queried in normal form, so they match the MTA's MX names
        dns.secureMx("example.com", new MxRecord(10, "MX.Example.COM."))
                .secureAddress("mx.example.com")
                .secureTlsa("_25._tcp.mx.example.com", DANE_EE);
        DaneResult.Found found = found(lookup().lookup("example.com"));
        assertThat(found.mx()).containsExactly(new MxRecord(10, "mx.example.com"));
        assertThat(found.host("mx.example.com").orElseThrow()).isInstanceOf(MxDane.Usable.class);
    }

    @Test
    void lookup_hostAddressesBogusOrFailedIsFailed() {
        // RFC 7672 §2.1.1, DANE-DEC-7: a bogus or failed address lookup makes the host unusable
        dns.secureMx("example.com", new MxRecord(10, "bogus.example.com"), new MxRecord(20, "down.example.com"))
                .addresses("bogus.example.com", ValidatedAnswer.bogus("bogus.example.com", "no DS match"))
                .addresses("down.example.com", failure(DnsResult.FailureKind.SERVFAIL, "down.example.com"));
        DaneResult result = lookup().lookup("example.com");
        assertThat(host(result, "bogus.example.com"))
                .isInstanceOfSatisfying(
                        MxDane.Failed.class, f -> assertThat(f.status()).isEqualTo(DnssecStatus.BOGUS));
        assertThat(host(result, "down.example.com"))
                .isInstanceOfSatisfying(
                        MxDane.Failed.class, f -> assertThat(f.detail()).contains("SERVFAIL"));
        assertThat(dns.queries()).noneMatch(q -> q.startsWith("TLSA"));
    }

    @Test
    void lookup_hostAddressesInsecureIsNotApplicable() {
        // RFC 7672 §2.2.2, DANE-DEC-8: TLSA is looked up only for hosts with secure addresses
        dns.secureMx("example.com", new MxRecord(10, "mx.unsigned.example"))
                .addresses(
                        "mx.unsigned.example",
                        withStatus(DnssecStatus.INSECURE, List.of(ScriptedSecureDns.ADDRESS), "mx.unsigned.example"));
        assertThat(host(lookup().lookup("example.com"), "mx.unsigned.example"))
                .isInstanceOfSatisfying(
                        MxDane.NotApplicable.class,
                        n -> assertThat(n.reason()).isEqualTo(MxDane.NotApplicable.Reason.ADDRESSES_INSECURE));
        assertThat(dns.queries()).noneMatch(q -> q.startsWith("TLSA"));
    }

    @Test
    void lookup_hostWithoutAddressesIsFailed() {
        // DANE-DEC-9: a host that securely has no address cannot be used, and is not "no DANE"
        dns.secureMx("example.com", new MxRecord(10, "void.example.com"))
                .addresses("void.example.com", secureNone(DnsResult.NoRecordsKind.NXDOMAIN, "void.example.com"));
        assertThat(host(lookup().lookup("example.com"), "void.example.com"))
                .isInstanceOfSatisfying(MxDane.Failed.class, f -> {
                    assertThat(f.status()).isEqualTo(DnssecStatus.SECURE);
                    assertThat(f.detail()).contains("no address");
                });
    }

    @Test
    void lookup_tlsaBogusIsFailed() {
        // RFC 7672 §2.1.1, DANE-DEC-10: a bogus TLSA RRset never means "no TLSA"
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .secureAddress("mx.example.com")
                .tlsa("_25._tcp.mx.example.com", ValidatedAnswer.bogus("_25._tcp.mx.example.com", "bad RRSIG"));
        assertThat(host(lookup().lookup("example.com"), "mx.example.com"))
                .isInstanceOfSatisfying(MxDane.Failed.class, f -> {
                    assertThat(f.status()).isEqualTo(DnssecStatus.BOGUS);
                    assertThat(f.detail()).contains("bad RRSIG");
                });
    }

    @Test
    void lookup_tlsaFailureIsFailed() {
        // RFC 7672 §2.1.1, DANE-DEC-10: a TLSA lookup that fails cannot be read as "no TLSA"
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .secureAddress("mx.example.com")
                .tlsa("_25._tcp.mx.example.com", failure(DnsResult.FailureKind.REFUSED, "_25._tcp.mx.example.com"));
        assertThat(host(lookup().lookup("example.com"), "mx.example.com")).isInstanceOf(MxDane.Failed.class);
    }

    @Test
    void lookup_tlsaInsecureIsNotApplicable() {
        // RFC 7672 §2.2, DANE-DEC-11: insecure TLSA records are ignored
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .secureAddress("mx.example.com")
                .tlsa(
                        "_25._tcp.mx.example.com",
                        withStatus(DnssecStatus.INSECURE, List.of(DANE_EE), "_25._tcp.mx.example.com"));
        assertThat(host(lookup().lookup("example.com"), "mx.example.com"))
                .isInstanceOfSatisfying(
                        MxDane.NotApplicable.class,
                        n -> assertThat(n.reason()).isEqualTo(MxDane.NotApplicable.Reason.TLSA_INSECURE));
    }

    @Test
    void lookup_noTlsaIsNotApplicable() {
        // RFC 7672 §2.2, DANE-DEC-11: a secure denial of TLSA: DANE does not apply to the host
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .secureAddress("mx.example.com")
                .tlsa("_25._tcp.mx.example.com", secureNone(DnsResult.NoRecordsKind.NODATA, "_25._tcp.mx.example.com"));
        assertThat(host(lookup().lookup("example.com"), "mx.example.com"))
                .isInstanceOfSatisfying(
                        MxDane.NotApplicable.class,
                        n -> assertThat(n.reason()).isEqualTo(MxDane.NotApplicable.Reason.NO_TLSA));
    }

    @Test
    void lookup_usableTlsaKeepsAllRecordsAndTheUsableSubset() {
        // RFC 7672 §2.2, §3.1, §3.2.2, DANE-DEC-12: usable subset; reference names are host and domain
        oneHost(PKIX_EE, DANE_EE, DANE_TA);
        assertThat(host(lookup().lookup("example.com"), "mx.example.com"))
                .isInstanceOfSatisfying(MxDane.Usable.class, usable -> {
                    assertThat(usable.records()).containsExactly(PKIX_EE, DANE_EE, DANE_TA);
                    assertThat(usable.usableRecords()).containsExactly(DANE_EE, DANE_TA);
                    assertThat(usable.tlsaBaseDomain()).isEqualTo("mx.example.com");
                    assertThat(usable.referenceNames()).containsExactlyInAnyOrder("mx.example.com", "example.com");
                });
    }

    @Test
    void lookup_onlyUnusableTlsaIsUnusable() {
        // RFC 7672 §2.2, §3.1.3, DANE-DEC-12: PKIX usages only: TLS without authentication
        oneHost(PKIX_EE, TlsaRecord.of(0, 0, 1, filled(32, 3)));
        assertThat(host(lookup().lookup("example.com"), "mx.example.com"))
                .isInstanceOfSatisfying(MxDane.Unusable.class, unusable -> {
                    assertThat(unusable.records()).hasSize(2);
                    assertThat(unusable.tlsaBaseDomain()).isEqualTo("mx.example.com");
                });
    }

    @Test
    void lookup_cnameExpandedTlsaBaseDomainFirst() {
        // RFC 7672 §2.2.2, §3.2.2, DANE-DEC-13: TLSA at the secure CNAME target wins
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .addresses(
                        "mx.example.com",
                        secure(List.of(ScriptedSecureDns.ADDRESS), "mx.example.com", "mx.hosting.example"))
                .secureTlsa("_25._tcp.mx.hosting.example", DANE_TA)
                .secureTlsa("_25._tcp.mx.example.com", DANE_EE);
        assertThat(host(lookup().lookup("example.com"), "mx.example.com"))
                .isInstanceOfSatisfying(MxDane.Usable.class, usable -> {
                    assertThat(usable.tlsaBaseDomain()).isEqualTo("mx.hosting.example");
                    assertThat(usable.records()).containsExactly(DANE_TA);
                    assertThat(usable.referenceNames())
                            .containsExactlyInAnyOrder("mx.example.com", "mx.hosting.example", "example.com");
                });
        assertThat(dns.queries())
                .filteredOn(q -> q.startsWith("TLSA"))
                .containsExactly("TLSA _25._tcp.mx.hosting.example");
    }

    @Test
    void lookup_cnameWithoutTlsaAtTargetFallsBackToTheHostName() {
        // RFC 7672 §2.2.2, DANE-DEC-13: nothing at the expanded name, so the MX host's own name
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .addresses(
                        "mx.example.com",
                        secure(List.of(ScriptedSecureDns.ADDRESS), "mx.example.com", "mx.hosting.example"))
                .tlsa(
                        "_25._tcp.mx.hosting.example",
                        secureNone(DnsResult.NoRecordsKind.NXDOMAIN, "_25._tcp.mx.hosting.example"))
                .secureTlsa("_25._tcp.mx.example.com", DANE_EE);
        assertThat(host(lookup().lookup("example.com"), "mx.example.com"))
                .isInstanceOfSatisfying(MxDane.Usable.class, usable -> {
                    assertThat(usable.tlsaBaseDomain()).isEqualTo("mx.example.com");
                    assertThat(usable.referenceNames())
                            .containsExactlyInAnyOrder("mx.example.com", "mx.hosting.example", "example.com");
                });
        assertThat(dns.queries())
                .filteredOn(q -> q.startsWith("TLSA"))
                .containsExactly("TLSA _25._tcp.mx.hosting.example", "TLSA _25._tcp.mx.example.com");
    }

    @Test
    void lookup_cnameTargetTlsaFailureDoesNotFallBack() {
        // RFC 7672 §2.1.1, DANE-DEC-13: only a secure denial moves on to the host name
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .addresses(
                        "mx.example.com",
                        secure(List.of(ScriptedSecureDns.ADDRESS), "mx.example.com", "mx.hosting.example"))
                .tlsa("_25._tcp.mx.hosting.example", ValidatedAnswer.bogus("_25._tcp.mx.hosting.example", "bogus"))
                .secureTlsa("_25._tcp.mx.example.com", DANE_EE);
        assertThat(host(lookup().lookup("example.com"), "mx.example.com")).isInstanceOf(MxDane.Failed.class);
        assertThat(dns.queries()).doesNotContain("TLSA _25._tcp.mx.example.com");
    }

    @Test
    void lookup_addressLiteralAndNonDomainAreNotApplicable() {
        // RFC 7672 §2.2.1, DANE-DEC-14: no MX lookup for what is not a domain name
        DaneLookup lookup = lookup();
        assertThat(lookup.lookup("[192.0.2.1]")).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(lookup.lookup("192.0.2.1")).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(lookup.lookup("not a domain"))
                .isInstanceOfSatisfying(
                        DaneResult.NotApplicable.class,
                        n -> assertThat(n.detail()).contains("not a domain name"));
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void lookup_inputIsNormalisedToOneCacheEntry() {
        // DANE-DEC-14: upper case and a trailing dot name the same domain, looked up once
        oneHost(DANE_EE);
        DaneLookup lookup = lookup();
        DaneResult first = lookup.lookup("Example.COM.");
        assertThat(first.domain()).isEqualTo("example.com");
        assertThat(lookup.lookup("example.com")).isSameAs(first);
        assertThat(dns.count("MX example.com")).isEqualTo(1);
    }

    @Test
    void lookup_cachedForTheCacheTtl() {
        // DANE-DEC-15: a result is reused for cacheTtl, then asked again
        oneHost(DANE_EE);
        DaneLookup lookup = lookup();
        DaneResult first = lookup.lookup("example.com");
        nanos.addAndGet(Duration.ofMinutes(5).minusNanos(1).toNanos());
        assertThat(lookup.lookup("example.com")).isSameAs(first);
        assertThat(dns.count("MX example.com")).isEqualTo(1);
        nanos.addAndGet(1);
        DaneResult second = lookup.lookup("example.com");
        assertThat(second).isNotSameAs(first).isEqualTo(first);
        assertThat(dns.count("MX example.com")).isEqualTo(2);
    }

    @Test
    void lookup_unavailableCachedForTheFailureTtlOnly() {
        // DANE-DEC-15: a bogus MX is asked again after failureTtl, not after cacheTtl
        dns.mx("example.com", ValidatedAnswer.bogus("example.com", "bogus"));
        DaneLookup lookup = lookup();
        lookup.lookup("example.com");
        nanos.addAndGet(Duration.ofSeconds(30).minusNanos(1).toNanos());
        lookup.lookup("example.com");
        assertThat(dns.count("MX example.com")).isEqualTo(1);
        nanos.addAndGet(1);
        lookup.lookup("example.com");
        assertThat(dns.count("MX example.com")).isEqualTo(2);
    }

    @Test
    void lookup_foundWithAFailedHostCachedForTheFailureTtlOnly() {
        // DANE-DEC-15: one failed host makes the whole result short-lived
        dns.secureMx("example.com", new MxRecord(10, "mx.example.com"), new MxRecord(20, "down.example.com"))
                .secureAddress("mx.example.com")
                .secureTlsa("_25._tcp.mx.example.com", DANE_EE)
                .addresses("down.example.com", failure(DnsResult.FailureKind.TIMEOUT, "down.example.com"));
        DaneLookup lookup = lookup();
        assertThat(found(lookup.lookup("example.com")).hosts()).hasSize(2);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        lookup.lookup("example.com");
        assertThat(dns.count("MX example.com")).isEqualTo(2);
    }

    @Test
    void lookup_cachedLookupReturnsTheSameStage() {
        // DANE-DEC-16: a warm lookup hands out the stored stage: no allocation, no query
        oneHost(DANE_EE);
        DaneLookup lookup = lookup();
        CompletionStage<DaneResult> first = lookup.lookupAsync("example.com");
        assertThat(lookup.lookupAsync("example.com")).isSameAs(first);
        assertThat(dns.count("MX example.com")).isEqualTo(1);
    }

    @Test
    void lookup_sharedStageIsReadOnly() {
        // DANE-DEC-16: one caller cannot change the cached answer the others get
        oneHost(DANE_EE);
        DaneLookup lookup = lookup();
        CompletableFuture<DaneResult> shared = lookup.lookupAsync("example.com").toCompletableFuture();
        DaneResult result = shared.join();
        DaneResult fake = new DaneResult.NotApplicable("example.com", DnssecStatus.INSECURE, "forged");
        assertThatThrownBy(() -> shared.obtrudeValue(fake)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shared.cancel(true)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(lookup.lookup("example.com")).isSameAs(result);
    }

    @Test
    void lookup_concurrentLookupsShareOneDiscovery() throws Exception {
        // DANE-DEC-16: concurrent lookups of one domain share one set of queries
        oneHost(DANE_EE).hold("example.com");
        DaneLookup lookup = lookup();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CompletionStage<DaneResult>>> stages = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                stages.add(pool.submit(() -> {
                    start.await();
                    return lookup.lookupAsync("example.com");
                }));
            }
            start.countDown();
            List<CompletionStage<DaneResult>> started = new ArrayList<>();
            for (Future<CompletionStage<DaneResult>> stage : stages) {
                started.add(stage.get(10, TimeUnit.SECONDS));
            }
            assertThat(started).allMatch(s -> !s.toCompletableFuture().isDone());
            dns.release("example.com");
            DaneResult first = started.get(0).toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (CompletionStage<DaneResult> stage : started) {
                assertThat(stage.toCompletableFuture().get(10, TimeUnit.SECONDS))
                        .isSameAs(first);
            }
            assertThat(dns.count("MX example.com")).isEqualTo(1);
            assertThat(dns.count("TLSA _25._tcp.mx.example.com")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lookup_mxHostsLookedUpInParallel() throws Exception {
        // DANE-DEC-17: a slow MX host does not hold up the lookups of the others
        dns.secureMx("example.com", new MxRecord(10, "slow.example.com"), new MxRecord(20, "fast.example.com"))
                .secureAddress("slow.example.com")
                .secureAddress("fast.example.com")
                .secureTlsa("_25._tcp.slow.example.com", DANE_EE)
                .secureTlsa("_25._tcp.fast.example.com", DANE_EE)
                .hold("slow.example.com");
        CompletionStage<DaneResult> stage = lookup().lookupAsync("example.com");
        assertThat(dns.queries()).contains("TLSA _25._tcp.fast.example.com");
        assertThat(stage.toCompletableFuture().isDone()).isFalse();
        dns.release("slow.example.com");
        assertThat(found(stage.toCompletableFuture().get(10, TimeUnit.SECONDS)).hosts())
                .hasSize(2);
    }

    @Test
    void lookup_resolverThatThrowsOrFailsIsUnavailableNeverNoDane() {
        // RFC 7672 §2.1.1, DANE-DEC-1: a broken resolver defers; it never turns DANE off
        SecureDnsResolver throwing = new SecureDnsResolver() {
            @Override
            public CompletionStage<ValidatedAnswer<MxRecord>> mxAsync(String name) {
                throw new IllegalStateException("resolver closed");
            }

            @Override
            public CompletionStage<ValidatedAnswer<InetAddress>> addressesAsync(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("no"));
            }

            @Override
            public CompletionStage<ValidatedAnswer<TlsaRecord>> tlsaAsync(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("no"));
            }
        };
        DaneResult result = DaneLookup.builder().resolver(throwing).build().lookup("example.com");
        assertThat(result)
                .isInstanceOfSatisfying(
                        DaneResult.Unavailable.class,
                        u -> assertThat(u.detail()).contains("resolver closed"));
        SecureDnsResolver failingHost = new SecureDnsResolver() {
            @Override
            public CompletionStage<ValidatedAnswer<MxRecord>> mxAsync(String name) {
                return CompletableFuture.completedFuture(secure(List.of(new MxRecord(1, "mx.example.com")), name));
            }

            @Override
            public CompletionStage<ValidatedAnswer<InetAddress>> addressesAsync(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("socket closed"));
            }

            @Override
            public CompletionStage<ValidatedAnswer<TlsaRecord>> tlsaAsync(String name) {
                throw new AssertionError("not reached");
            }
        };
        DaneResult hosts = DaneLookup.builder().resolver(failingHost).build().lookup("example.com");
        assertThat(host(hosts, "mx.example.com"))
                .isInstanceOfSatisfying(
                        MxDane.Failed.class, f -> assertThat(f.detail()).contains("socket closed"));
    }

    @Test
    void invalidate_nextLookupAsksAgain() {
        // DANE-DEC-15: invalidate drops the cached state
        oneHost(DANE_EE);
        DaneLookup lookup = lookup();
        lookup.lookup("example.com");
        lookup.invalidate("EXAMPLE.com.");
        lookup.lookup("example.com");
        assertThat(dns.count("MX example.com")).isEqualTo(2);
    }

    @Test
    void builder_refusesMissingResolverAndBadOptions() {
        assertThatIllegalStateException().isThrownBy(() -> DaneLookup.builder().build());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DaneLookup.builder().cacheTtl(Duration.ofSeconds(-1)))
                .withMessageContaining("cacheTtl");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DaneLookup.builder().failureTtl(Duration.ofSeconds(-1)))
                .withMessageContaining("failureTtl");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DaneLookup.builder().maximumSize(0))
                .withMessageContaining("maximumSize");
    }
}
