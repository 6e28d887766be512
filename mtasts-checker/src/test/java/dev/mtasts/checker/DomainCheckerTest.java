package dev.mtasts.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Mode;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.FakePolicyHost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class DomainCheckerTest {

    @Test
    void notADomain_isRefusedBeforeAnyLookup() {
        try (DomainChecker checker = DomainChecker.create()) {
            assertThatThrownBy(() -> checker.check("not a domain", CheckOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a domain");
            assertThatThrownBy(() -> checker.check("localhost", CheckOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void healthyDomain_hasNoErrorOrWarning_andEveryFactIsGathered() {
        try (MultiAddressWorld world = MultiAddressWorld.start()) {
            world.healthy("good.example");
            CheckReport report = Worlds.check(world, "Good.Example.");

            assertThat(report.domain()).isEqualTo("good.example");
            assertThat(report.findings())
                    .as("findings of a healthy domain")
                    .allMatch(f -> f.severity() == Severity.INFO, "information only");
            assertThat(report.exitCode()).isZero();
            assertThat(report.stsTxt().status()).isEqualTo(LookupStatus.FOUND);
            assertThat(report.stsRecord())
                    .hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(MultiAddressWorld.HEALTHY_ID));
            assertThat(report.policyHost()).singleElement().satisfies(h -> {
                assertThat(h.httpStatus()).hasValue(200);
                assertThat(h.tlsVersion()).isPresent();
                assertThat(h.certificate()).isPresent();
            });
            assertThat(report.policy()).hasValueSatisfying(p -> {
                assertThat(p.policy()).isPresent();
                assertThat(p.mode()).contains(Mode.ENFORCE);
                assertThat(p.lenient()).isFalse();
            });
            assertThat(report.mx()).singleElement().satisfies(mx -> {
                assertThat(mx.host()).isEqualTo("mx.good.example");
                assertThat(mx.covered()).isTrue();
                assertThat(mx.addresses()).singleElement().satisfies(a -> {
                    assertThat(a.probe()).isEqualTo(ProbeResult.TLS_OK);
                    assertThat(a.certificateNameMatches()).contains(true);
                });
            });
            assertThat(report.tlsRpt().record()).isPresent();
            assertThat(report.tlsRpt().endpoints()).containsExactly("mailto:tlsrpt@reports.good.example");
        }
    }

    // CHK-API-3: findings reach the listener as they are found, the same ones the report lists.
    @Test
    void listener_receivesEveryFinding_inReportOrder() {
        try (MultiAddressWorld world = MultiAddressWorld.start();
                DomainChecker checker = DomainChecker.create()) {
            world.healthy("streamed.example");
            world.dns().remove("_smtp._tls.streamed.example");
            List<Finding> streamed = Collections.synchronizedList(new ArrayList<>());
            CheckReport report = checker.checkAsync(
                            "streamed.example", Worlds.options(world).build(), streamed::add)
                    .join();
            assertThat(report.findings()).isNotEmpty().containsExactlyElementsOf(streamed);
            // RFC 8460 §3 and RFC 8461 §5: enforce without reports leaves failures invisible.
            assertThat(report.has(Check.CROSS_NO_TLSRPT, Severity.WARNING)).isTrue();
        }
    }

    @Test
    void severalDomains_areCheckedAtOnceByOneChecker() {
        try (MultiAddressWorld world = MultiAddressWorld.start();
                DomainChecker checker = DomainChecker.create()) {
            world.healthy("one.example");
            world.healthy("two.example");
            CheckOptions options = Worlds.options(world).build();
            CompletableFuture<CheckReport> one = checker.checkAsync("one.example", options, f -> {});
            CompletableFuture<CheckReport> two = checker.checkAsync("two.example", options, f -> {});
            assertThat(one.join().domain()).isEqualTo("one.example");
            assertThat(two.join().domain()).isEqualTo("two.example");
            assertThat(one.join().exitCode()).isZero();
            assertThat(two.join().exitCode()).isZero();
        }
    }

    // RFC 8461 §3.1: without an _mta-sts record a sender never fetches a policy, and neither do we.
    @Test
    void noStsRecord_skipsThePolicyHostAndMx_butChecksTlsRpt() {
        try (MultiAddressWorld world = MultiAddressWorld.start()) {
            FakePolicyHost host = world.healthy("plain.example");
            world.dns().remove("_mta-sts.plain.example");
            CheckReport report = Worlds.check(world, "plain.example");
            assertThat(report.has(Check.STS_TXT_LOOKUP, Severity.INFO)).isTrue();
            assertThat(report.policy()).isEmpty();
            assertThat(report.mx()).isEmpty();
            assertThat(report.tlsRpt().record()).isPresent();
            assertThat(host.requestCount()).isZero();
        }
    }
}
