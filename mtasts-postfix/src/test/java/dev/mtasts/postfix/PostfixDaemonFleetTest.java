package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.postfix.config.ConfigException;
import dev.mtasts.postfix.config.DaemonConfig;
import dev.mtasts.store.jdbc.FleetHealth;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.PostgresCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Daemons with {@code cache: postgres} on a real PostgreSQL server, with a real DNS server and HTTPS
 * policy host on loopback: the fleet shares one fetch, and a database that is down costs no answer.
 */
final class PostfixDaemonFleetTest {
    private static final String ENFORCE = "OK secure match=mx1.example.com servername=hostname";
    private static final String OTHER = "OK secure match=mx.other.example servername=hostname";

    private static PostgresCluster pg;

    @BeforeAll
    static void postgres() {
        assumeTrue(PostgresCluster.shared().isPresent(), "PostgreSQL is not installed");
        pg = PostgresCluster.shared().orElseThrow();
    }

    private static DaemonConfig config(String dsn, String nodeId) throws ConfigException {
        return DaemonConfig.parse(
                "port: 0\nmetrics:\n  port: 0\ncache:\n  type: postgres\n  options:\n    dsn: \"" + dsn
                        + "\"\n    node_id: " + nodeId + "\n",
                "fleet.yml");
    }

    private static String dsnOf(String database) {
        return "postgresql://" + pg.user() + ":not-checked@127.0.0.1:" + pg.port() + "/" + database
                + "?application_name=fleet-test";
    }

    private static PostfixDaemon daemon(DaemonConfig config, MtaStsWorld world) throws IOException {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        return PostfixDaemon.builder(config)
                .dns(dns)
                .fetcher(world.policyFetcher(dns).timeout(Duration.ofSeconds(5)).build())
                .build()
                .start();
    }

    private static MtaStsWorld world() {
        return MtaStsWorld.builder()
                .domain("example.com", d -> d.mx(10, "mx1.example.com").policy(Mode.ENFORCE, "mx1.example.com"))
                .domain("other.example", d -> d.mx(10, "mx.other.example").policy(Mode.ENFORCE, "mx.other.example"))
                .build()
                .start();
    }

    private static String ask(PostfixDaemon daemon, String key) throws IOException {
        try (SocketmapClient client = SocketmapClient.connect(daemon.port())) {
            return client.request("postfix", key);
        }
    }

    @Test
    void twoDaemonsOnOneDatabase_theSecondTakesTheFirstsFetch() throws Exception {
        // FLEET-PF-1: a policy one daemon fetched answers the other without an HTTPS fetch of its own
        String db = pg.createDatabase("daemon_fleet_seq");
        try (MtaStsWorld world = world();
                PostfixDaemon a = daemon(config(dsnOf(db), "daemon-a"), world);
                PostfixDaemon b = daemon(config(dsnOf(db), "daemon-b"), world)) {
            assertThat(ask(a, "example.com")).isEqualTo(ENFORCE);
            assertThat(ask(b, "example.com")).isEqualTo(ENFORCE);
            assertThat(ask(b, "example.com")).isEqualTo(ENFORCE);
            assertThat(world.policyHost().requestCount()).isEqualTo(1);
            // FLEET-PF-4: the meters say so (b read a's policy from the database: no fetch started)
            assertThat(b.metrics().scrape())
                    .contains("mtasts_fleet_database_up 1.0")
                    .contains("mtasts_fleet_database_down_total 0.0")
                    .contains("mtasts_fetches_total{outcome=\"started\"} 0.0");
            assertThat(a.metrics().scrape())
                    .contains("mtasts_fleet_fetches_shared_total 0.0")
                    .contains("mtasts_fetches_total{outcome=\"succeeded\"} 1.0");
            assertThat(b.mtaSts().cachedDomains()).containsExactly("example.com");
            assertThat(a.fleetHealth())
                    .hasValueSatisfying(h -> assertThat(h.up()).isTrue());
        }
    }

    @Test
    void twoDaemonsAskedAtOnce_fetchOnceBetweenThem() throws Exception {
        // FLEET-PF-1: concurrent queries to both daemons for one domain: one HTTPS fetch, all answered
        String db = pg.createDatabase("daemon_fleet_conc");
        try (MtaStsWorld world = world();
                PostfixDaemon a = daemon(config(dsnOf(db), "daemon-a"), world);
                PostfixDaemon b = daemon(config(dsnOf(db), "daemon-b"), world)) {
            // A slow policy host keeps the first fetch running while the other daemon asks.
            world.policyHost()
                    .respond(
                            "example.com",
                            PolicyResponse.builder()
                                    .body(world.policy("example.com")
                                            .orElseThrow()
                                            .text())
                                    .delay(Duration.ofMillis(500))
                                    .build());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    PostfixDaemon target = i % 2 == 0 ? a : b;
                    Callable<String> query = () -> {
                        go.await();
                        return ask(target, "example.com");
                    };
                    answers.add(pool.submit(query));
                }
                go.countDown();
                for (Future<String> answer : answers) {
                    assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(ENFORCE);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(world.policyHost().requestCount()).isEqualTo(1);
            // FLEET-PF-4: the daemon that did not fetch waited for the other's fetch and took it
            assertThat(meter(a, "mtasts_fleet_fetches_shared_total") + meter(b, "mtasts_fleet_fetches_shared_total"))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(meter(a, "mtasts_fetches_total{outcome=\"started\"}")
                            + meter(b, "mtasts_fetches_total{outcome=\"started\"}"))
                    .isEqualTo(1.0);
        }
    }

    /** The value of the meter line starting with {@code name} in the daemon's scrape. */
    private static double meter(PostfixDaemon daemon, String name) {
        return daemon.metrics()
                .scrape()
                .lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no meter " + name));
    }

    @Test
    void databaseUnreachableAtStart_theDaemonStartsAndAnswersFromItsOwnFetch() throws Exception {
        // FLEET-PF-2: nothing listens where the DSN points; start-up and answers do not wait for it
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        String dsn = "postgresql://mta:hunter2@127.0.0.1:" + deadPort + "/nowhere";
        try (MtaStsWorld world = world();
                StderrCapture log = new StderrCapture()) {
            long started = System.nanoTime();
            try (PostfixDaemon daemon = daemon(config(dsn, "alone"), world)) {
                assertThat(ask(daemon, "example.com")).isEqualTo(ENFORCE);
                assertThat(ask(daemon, "example.com")).isEqualTo(ENFORCE);
                // A bound, not a benchmark: a daemon waiting on the dead database would take the
                // pool's timeouts over and over; this one pays at most one at start.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
                assertThat(world.policyHost().requestCount()).isEqualTo(1);
                assertThat(daemon.fleetHealth())
                        .hasValueSatisfying(h -> assertThat(h.up()).isFalse());
                String scrape = daemon.metrics().scrape();
                assertThat(scrape)
                        .contains("mtasts_fleet_database_up 0.0")
                        .contains("mtasts_fleet_database_down_total 1.0")
                        .doesNotContain("hunter2");
            }
            // FLEET-PF-3: the start-up line names the database, never the password
            assertThat(log.text())
                    .contains("cache=postgres:jdbc:postgresql://127.0.0.1:" + deadPort + "/nowhere user=mta node=alone")
                    .contains("fleet database down")
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void databaseStoppedUnderARunningDaemon_answersGoOnAndWritesCatchUp() throws Exception {
        // FLEET-PF-2: the server stops: cached answers from memory, new domains fetched locally; once
        // it is back, what was fetched meanwhile reaches the database for the rest of the fleet
        String db = pg.createDatabase("daemon_fleet_down");
        try (MtaStsWorld world = world();
                PostfixDaemon a = daemon(config(dsnOf(db), "daemon-a"), world)) {
            assertThat(ask(a, "example.com")).isEqualTo(ENFORCE);
            pg.stop();
            try {
                long t0 = System.nanoTime();
                assertThat(ask(a, "example.com")).isEqualTo(ENFORCE);
                assertThat(ask(a, "other.example")).isEqualTo(OTHER);
                assertThat(ask(a, "other.example")).isEqualTo(OTHER);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
                assertThat(world.policyHost().requestCount()).isEqualTo(2);
                assertThat(a.fleetHealth().map(FleetHealth::up)).contains(false);
                assertThat(a.metrics().scrape()).contains("mtasts_fleet_database_up 0.0");
            } finally {
                pg.start();
            }
            assertThat(eventually(() -> a.fleetHealth()
                            .map(h -> h.up() && h.pendingPolicyWrites() == 0)
                            .orElse(false)))
                    .as("the daemon finds the database again and writes what it fetched meanwhile")
                    .isTrue();
            try (PostfixDaemon b = daemon(config(dsnOf(db), "daemon-b"), world)) {
                assertThat(ask(b, "other.example")).isEqualTo(OTHER);
                assertThat(world.policyHost().requestCount()).isEqualTo(2);
            }
        }
    }

    /** Polls {@code condition} for up to 20 s; the database probe runs about once a second. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
