package dev.mtasts.postfix.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.MtaStsListener;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.postfix.AnswerListener.AnswerKind;
import dev.mtasts.postfix.SocketmapServerListener;
import dev.mtasts.store.jdbc.FleetHealth;
import dev.mtasts.store.jdbc.FleetListener;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class DaemonMetricsTest {

    @Test
    void cachedPolicies_gaugeSurvivesGarbageCollection() {
        AtomicInteger cached = new AtomicInteger(3);
        // A fresh lambda, referenced by nothing but the gauge: it must not be collected.
        DaemonMetrics metrics = new DaemonMetrics(Set.of(), () -> cached.get());
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertThat(metrics.scrape()).contains("mtasts_cache_policies 3.0");
    }

    @Test
    void fleet_countsOutagesSharedAndHeldBackFetches_andReadsHealthAtEachScrape() {
        // FLEET-PF-4: the fleet store's events and state, without a database (the daemon tests
        // show them on a real one)
        DaemonMetrics metrics = new DaemonMetrics(Set.of(), () -> 0);
        assertThat(metrics.scrape()).doesNotContain("mtasts_fleet");
        FleetListener fleet = metrics.fleet();
        assertThat(metrics.fleet()).isSameAs(fleet);
        fleet.databaseDown("policy read", new java.sql.SQLException("refused", "08001"));
        fleet.databaseUp(1200);
        fleet.fetchShared("a.example", "1");
        fleet.fetchShared("b.example", "1");
        fleet.fetchHeldBack("c.example", "2");
        AtomicReference<FleetHealth> health = new AtomicReference<>(new FleetHealth(true, Optional.empty(), 0, 0, 0));
        AtomicLong dropped = new AtomicLong();
        // Fresh lambdas, referenced by nothing but the meters: they must not be collected.
        metrics.fleetHealth(() -> health.get(), () -> dropped.get());
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertThat(metrics.scrape())
                .contains("mtasts_fleet_database_down_total 1.0")
                .contains("mtasts_fleet_fetches_shared_total 2.0")
                .contains("mtasts_fleet_fetches_held_back_total 1.0")
                .contains("mtasts_fleet_database_up 1.0")
                .contains("mtasts_fleet_pending_policy_writes 0.0");
        health.set(new FleetHealth(false, Optional.of(Instant.EPOCH), 7, 3, 12));
        dropped.set(5);
        assertThat(metrics.scrape())
                .contains("mtasts_fleet_database_up 0.0")
                .contains("mtasts_fleet_buffered_rows 7.0")
                .contains("mtasts_fleet_dropped_sessions_total 3.0")
                .contains("mtasts_fleet_pending_policy_writes 12.0")
                .contains("mtasts_fleet_policy_writes_dropped_total 5.0");
    }

    @Test
    void server_countsConnectionsRefusalsAndProtocolErrors() {
        DaemonMetrics metrics = new DaemonMetrics(Set.of(), () -> 0);
        SocketmapServerListener server = metrics.server();
        server.connectionOpened(1);
        server.connectionOpened(2);
        server.connectionClosed(1);
        server.connectionRefused();
        server.protocolError("PF-NET-2");
        server.protocolError("PF-NET-2");
        server.protocolError("PF-NET-7");
        assertThat(metrics.scrape())
                .contains("mtasts_postfix_connections_open 1.0")
                .contains("mtasts_postfix_connections_refused_total 1.0")
                .contains("mtasts_postfix_protocol_errors_total{why=\"PF-NET-2\"} 2.0")
                .contains("mtasts_postfix_protocol_errors_total{why=\"PF-NET-7\"} 1.0");
    }

    @Test
    void engine_countsFailuresFallbacksRefreshesAndEvictions() {
        DaemonMetrics metrics = new DaemonMetrics(Set.of(), () -> 0);
        MtaStsListener engine = metrics.engine();
        engine.fetchFailed("a.example", "1", FetchProblem.of(FetchProblem.Reason.TIMEOUT, "deadline"));
        PolicyProblem dns = new PolicyProblem.DnsTemporary("_mta-sts.a.example", DnsResult.FailureKind.SERVFAIL, "x");
        engine.staleFallback("a.example", dns);
        engine.refreshFailed("a.example", dns);
        engine.evicted("a.example", "expired");
        assertThat(metrics.scrape())
                .contains("mtasts_fetches_total{outcome=\"failed\"} 1.0")
                .contains("mtasts_fetch_failures_total{reason=\"timeout\"} 1.0")
                .contains("mtasts_stale_fallbacks_total 1.0")
                .contains("mtasts_refresh_failures_total 1.0")
                .contains("mtasts_evictions_total 1.0");
    }

    @Test
    void answers_unknownZoneNamesCountUnderDefaultZone() {
        DaemonMetrics metrics = new DaemonMetrics(Set.of("old"), () -> 0);
        metrics.answers().answered("old", AnswerKind.TEMP, 1_000_000);
        metrics.answers().answered("anything", AnswerKind.TEMP, 2_000_000);
        metrics.answers().answered("old", AnswerKind.SECURE, -5); // a clock step never breaks the timer
        assertThat(metrics.scrape())
                .contains("mtasts_postfix_queries_total{answer=\"temp\",zone=\"old\"} 1.0")
                .contains("mtasts_postfix_queries_total{answer=\"temp\",zone=\"default_zone\"} 1.0")
                .contains("mtasts_postfix_answer_seconds_count{zone=\"old\"} 2")
                .doesNotContain("anything");
    }

    // PF-DANE-9: DANE answers are counted under their own labels, beside the MTA-STS ones
    @Test
    void answers_daneAnswersHaveTheirOwnLabels() {
        DaemonMetrics metrics = new DaemonMetrics(Set.of("dane"), () -> 0);
        metrics.answers().answered("dane", AnswerKind.DANE_ONLY, 1_000);
        metrics.answers().answered("dane", AnswerKind.DANE_ONLY, 1_000);
        metrics.answers().answered("dane", AnswerKind.DANE, 1_000);
        assertThat(metrics.scrape())
                .contains("mtasts_postfix_queries_total{answer=\"dane_only\",zone=\"dane\"} 2.0")
                .contains("mtasts_postfix_queries_total{answer=\"dane\",zone=\"dane\"} 1.0")
                .contains("mtasts_postfix_queries_total{answer=\"secure\",zone=\"dane\"} 0.0");
    }
}
