package dev.mtasts.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.testkit.server.SmtpSession;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** A whole world, started and queried the way an MTA would: DNS first, then HTTPS, then SMTP. */
final class MtaStsWorldTest {

    private static MtaStsWorld.Builder exampleWorld() {
        return MtaStsWorld.builder()
                .domain(
                        "example.com",
                        d -> d.mx(10, "mx1.example.com")
                                .mx(20, "mx2.example.com")
                                .policy(Mode.ENFORCE, "mx1.example.com", "*.example.com")
                                .maxAge(Duration.ofDays(2))
                                .stsId("20240101")
                                .tlsRpt("https://tlsrpt.example.com/report", "mailto:tlsrpt@example.com"));
    }

    private static Message query(MtaStsWorld world, String name, int type) throws IOException {
        SimpleResolver resolver = new SimpleResolver(world.dnsAddress());
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<String> joinedTxt(Message response) {
        List<String> out = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            StringBuilder sb = new StringBuilder();
            for (byte[] bytes : ((TXTRecord) record).getStringsAsByteArrays()) {
                sb.append(new String(bytes, StandardCharsets.UTF_8));
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void start_publishesEveryRecord() throws IOException {
        try (MtaStsWorld world = exampleWorld().build().start()) {
            assertThat(StsRecord.parse(joinedTxt(query(world, "_mta-sts.example.com.", Type.TXT))
                                    .get(0))
                            .id())
                    .isEqualTo("20240101");
            assertThat(((ARecord) query(world, "mta-sts.example.com.", Type.A)
                                    .getSection(Section.ANSWER)
                                    .get(0))
                            .getAddress()
                            .getHostAddress())
                    .isEqualTo("127.0.0.1");
            assertThat(query(world, "example.com.", Type.MX).getSection(Section.ANSWER))
                    .extracting(r -> ((MXRecord) r).getPriority() + " " + ((MXRecord) r).getTarget())
                    .containsExactlyInAnyOrder("10 mx1.example.com.", "20 mx2.example.com.");
            assertThat(query(world, "mx2.example.com.", Type.A).getSection(Section.ANSWER))
                    .hasSize(1);
            assertThat(joinedTxt(query(world, "_smtp._tls.example.com.", Type.TXT)))
                    .containsExactly("v=TLSRPTv1; rua=https://tlsrpt.example.com/report,mailto:tlsrpt@example.com");
        }
    }

    @Test
    void policyHost_servesThePolicyDescribed() throws IOException {
        try (MtaStsWorld world = exampleWorld().build().start()) {
            String body = PolicyClients.get(
                            PolicyClients.freshContext(world.certificateAuthority()),
                            "example.com",
                            world.policyHostPort())
                    .body();
            Policy policy = Policy.parse(body);
            assertThat(policy).isEqualTo(world.policy("example.com").orElseThrow());
            assertThat(policy.mode()).isEqualTo(Mode.ENFORCE);
            assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(2));
            assertThat(policy.mx()).extracting(Object::toString).containsExactly("mx1.example.com", "*.example.com");
        }
    }

    @Test
    void policyFetcher_reachesThePolicyHostThroughTheSeam() {
        try (MtaStsWorld world = exampleWorld().build().start()) {
            DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
            FetchResult result = world.policyFetcher(dns)
                    .timeout(Duration.ofSeconds(5))
                    .build()
                    .fetch("example.com")
                    .toCompletableFuture()
                    .join();
            assertThat(result)
                    .isEqualTo(
                            new FetchResult.Fetched(world.policy("example.com").orElseThrow()));
            assertThat(world.policyHost().takeRequest().sni()).hasValue("mta-sts.example.com");
        }
    }

    @Test
    void eachMx_hasItsOwnSmtpServerWithACertificateForItsName() throws Exception {
        try (MtaStsWorld world = exampleWorld().build().start()) {
            assertThat(world.mxHosts()).containsExactly("mx1.example.com", "mx2.example.com");
            for (String mx : world.mxHosts()) {
                SmtpClients.send(world.smtp(mx).port(), world.certificateAuthority(), mx, true);
                SmtpSession session = world.smtp(mx).takeSession();
                assertThat(session.tlsUsed()).isTrue();
                assertThat(session.sniReceived()).hasValue(mx);
            }
            assertThat(world.smtp("MX1.example.com.").port())
                    .isNotEqualTo(world.smtp("mx2.example.com").port());
        }
    }

    @Test
    void policyWithoutPatterns_usesTheMxHosts_andNoPolicyMeansNoTxt() throws IOException {
        try (MtaStsWorld world = MtaStsWorld.builder()
                .domain("a.example", d -> d.mx(10, "mx.a.example").policy(Mode.TESTING))
                .domain("b.example", d -> d.mx(10, "mx.b.example"))
                .build()
                .start()) {
            assertThat(world.policy("a.example").orElseThrow().mx())
                    .extracting(Object::toString)
                    .containsExactly("mx.a.example");
            assertThat(world.policy("b.example")).isEmpty();
            assertThat(world.stsId("b.example")).isEmpty();
            assertThat(query(world, "_mta-sts.b.example.", Type.TXT).getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(PolicyClients.get(
                                    PolicyClients.freshContext(world.certificateAuthority()),
                                    "b.example",
                                    world.policyHostPort())
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void changesWhileRunning_idPolicyAndRemoval() throws IOException {
        // for refresh tests: STS-CACHE-3 (new id), STS-CACHE-4 (TXT gone)
        try (MtaStsWorld world = exampleWorld().build().start()) {
            Policy testing =
                    Policy.builder().mode(Mode.TESTING).addMx("mx1.example.com").build();
            world.policy("example.com", testing).stsId("example.com", "20250101");
            assertThat(joinedTxt(query(world, "_mta-sts.example.com.", Type.TXT)))
                    .containsExactly("v=STSv1; id=20250101;");
            assertThat(PolicyClients.get(
                                    PolicyClients.freshContext(world.certificateAuthority()),
                                    "example.com",
                                    world.policyHostPort())
                            .body())
                    .isEqualTo(testing.text());
            world.removeStsRecord("example.com");
            Message gone = query(world, "_mta-sts.example.com.", Type.TXT);
            assertThat(gone.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            world.removePolicy("example.com");
            assertThat(world.policy("example.com")).isEmpty();
        }
    }

    @Test
    void addDomain_whileRunning_startsItsServers() throws Exception {
        try (MtaStsWorld world = exampleWorld().build().start()) {
            world.addDomain(
                    "example.net",
                    d -> d.mx(5, "mx.example.net").mx(10, "mx1.example.com").policy(Mode.ENFORCE));
            assertThat(world.domains()).containsExactly("example.com", "example.net");
            assertThat(world.smtp("mx.example.net").port()).isPositive();
            assertThat(query(world, "example.net.", Type.MX).getSection(Section.ANSWER))
                    .hasSize(2);
            assertThatThrownBy(() -> world.addDomain("example.net", d -> {}))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unknownNames_failFastListingTheKnownOnes() {
        try (MtaStsWorld world = exampleWorld().build().start()) {
            assertThatThrownBy(() -> world.smtp("mx9.example.com")).hasMessageContaining("mx1.example.com");
            assertThatThrownBy(() -> world.policy("nope.example")).hasMessageContaining("example.com");
            assertThatThrownBy(() -> world.stsId("example.com", "not-alnum")).hasMessageContaining("not-alnum");
        }
    }

    @Test
    void lifecycle_closeIsIdempotent_startOnce() {
        MtaStsWorld world = exampleWorld().build();
        assertThat(world.isRunning()).isFalse();
        world.start();
        assertThat(world.isRunning()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().startsWith("fake-"))
                .isNotEmpty()
                .allMatch(Thread::isDaemon);
        assertThatThrownBy(world::start).isInstanceOf(IllegalStateException.class);
        world.close();
        world.close();
        assertThat(world.isRunning()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("fake-") && t.isAlive());
    }

    @Test
    void manyWorldsInParallel_doNotInterfere() throws Exception {
        // parallel-test safety: each world has its own ports and records
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "id" + i;
                results.add(pool.submit(() -> {
                    try (MtaStsWorld world = MtaStsWorld.builder()
                            .domain(
                                    "example.com",
                                    d -> d.mx(10, "mx1.example.com")
                                            .policy(Mode.ENFORCE)
                                            .stsId(id))
                            .build()
                            .start()) {
                        return StsRecord.parse(joinedTxt(query(world, "_mta-sts.example.com.", Type.TXT))
                                        .get(0))
                                .id();
                    }
                }));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(results.get(i).get()).isEqualTo("id" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trustMaterial_comesFromOneCa() {
        TestCertificateAuthority ca = TestCertificateAuthority.create();
        try (MtaStsWorld world = exampleWorld().certificateAuthority(ca).build().start()) {
            assertThat(world.certificateAuthority()).isSameAs(ca);
            assertThat(world.clientSslContext()).isSameAs(ca.clientSslContext());
            assertThat(world.trustManager()).isSameAs(ca.trustManager());
            assertThat(world.policyHost().certificate("example.com").dnsNames()).containsExactly("mta-sts.example.com");
        }
    }

    @Test
    void startupTime_ofAFullWorld_isPrinted() {
        // The issue asks for DNS + HTTPS + 2 MX in under 1 s. Printed, not asserted: timing on a shared
        // 2-core machine is no test oracle.
        long first = timeOneWorld();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, timeOneWorld());
        }
        System.out.printf(
                "mtasts-testkit: full world (DNS + HTTPS policy host + 2 MX, build + start): first in this test class %.1f ms, best of 5 after it %.1f ms%n",
                first / 1e6, best / 1e6);
        assertThat(best).isPositive();
    }

    private static long timeOneWorld() {
        long start = System.nanoTime();
        try (MtaStsWorld world = exampleWorld().build().start()) {
            long elapsed = System.nanoTime() - start;
            assertThat(world.isRunning()).isTrue();
            return elapsed;
        }
    }
}
