package dev.mtasts.postfix.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.postfix.ZoneSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DaemonConfigTest {

    /** The file Debian's postfix-mta-sts-resolver package installs, verbatim. */
    static final String DEBIAN_DEFAULT = """
            # host: 127.0.0.1
            # port: 8461
            # reuse_port: true
            # shutdown_timeout: 20
            cache:
              type: sqlite
              options:
                filename: "/var/lib/mta-sts/cache.db"
            # default_zone:
            #   strict_testing: false
            #   timeout: 4
            # zones:
            #   myzone:
            #     strict_testing: false
            #     timeout: 4""";

    /** The example of mta-sts-daemon.yml(5). */
    static final String MANUAL_EXAMPLE = """
            host: 127.0.0.1
            port: 8461
            reuse_port: true
            shutdown_timeout: 20
            proactive_policy_fetching:
              enabled: true
              interval: 86400
              concurrency_limit: 100
              grace_ratio: 2
            cache:
              type: internal
              options:
                cache_size: 10000
            default_zone:
              strict_testing: false
              timeout: 4
            zones:
              myzone:
                strict_testing: false
                timeout: 4
            """;

    @Test
    void parse_emptyFileGivesTheDefaultsOfTheTable() throws ConfigException {
        // PF-CONF-1: the defaults of postfix-mta-sts-resolver (spec §4)
        DaemonConfig c = DaemonConfig.parse("", "empty.yml");
        assertThat(c.source()).isEqualTo("empty.yml");
        assertThat(c.endpoint()).isEqualTo(new Endpoint.Inet("127.0.0.1", 8461));
        assertThat(c.reusePort()).isTrue();
        assertThat(c.cacheGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.cache()).isEqualTo(new CacheConfig.Internal(10_000));
        assertThat(c.proactiveFetching()).isEqualTo(new ProactiveFetching(false, Duration.ofDays(1), 100, 2.0));
        assertThat(c.defaultZone()).isEqualTo(new ZoneSettings(false, Duration.ofSeconds(4), true, false, true));
        assertThat(c.zones()).isEmpty();
        assertThat(c.metrics()).isEmpty();
        assertThat(c.dnsServer()).isEmpty();
        assertThat(DaemonConfig.parse("# only a comment\n", "c.yml").endpoint()).isEqualTo(c.endpoint());
        assertThat(DaemonConfig.parse("---\n", "c.yml").cache()).isEqualTo(c.cache());
    }

    @Test
    void parse_debianDefaultFileMapsSqliteToTheFileStoreBesideIt() throws ConfigException {
        // PF-CONF-3: sqlite → the durable file store in <filename>.d
        DaemonConfig c = DaemonConfig.parse(DEBIAN_DEFAULT, "/etc/mta-sts-daemon.yml");
        assertThat(c.cache())
                .isEqualTo(new CacheConfig.Durable(
                        Path.of("/var/lib/mta-sts/cache.db"), Path.of("/var/lib/mta-sts/cache.db.d")));
        assertThat(c.endpoint()).isEqualTo(new Endpoint.Inet("127.0.0.1", 8461));
    }

    @Test
    void parse_manualExampleReadsEveryKey() throws ConfigException {
        DaemonConfig c = DaemonConfig.parse(MANUAL_EXAMPLE, "example.yml");
        assertThat(c.proactiveFetching()).isEqualTo(new ProactiveFetching(true, Duration.ofDays(1), 100, 2.0));
        assertThat(c.zones()).containsOnlyKeys("myzone");
        assertThat(c.zone("myzone")).isEqualTo(ZoneSettings.defaults());
        assertThat(c.zone("other")).isSameAs(c.defaultZone());
    }

    @Test
    void parse_zoneKeysIncludingOursAndTlsrpt() throws ConfigException {
        DaemonConfig c = DaemonConfig.parse("""
                default_zone:
                  timeout: 2.5
                  require_sni: no
                zones:
                  strict:
                    strict_testing: true
                    tlsrpt: true
                    temp_on_dns_error: false
                  empty:
                """, "z.yml");
        assertThat(c.defaultZone()).isEqualTo(new ZoneSettings(false, Duration.ofMillis(2500), false, false, true));
        assertThat(c.zone("strict")).isEqualTo(new ZoneSettings(true, Duration.ofSeconds(4), true, true, false));
        // A zone given with no value takes the defaults, as postfix-mta-sts-resolver fills them in.
        assertThat(c.zone("empty")).isEqualTo(ZoneSettings.defaults());
    }

    @Test
    void parse_unixSocketWithOctalModeWinsOverHostAndPort() throws ConfigException {
        // PF-NET-8: unix sockets are possible, inet is the default
        DaemonConfig c = DaemonConfig.parse("host: 0.0.0.0\npath: /run/mtasts.sock\nmode: 0660\n", "u.yml");
        assertThat(c.endpoint())
                .isEqualTo(new Endpoint.Unix(
                        Path.of("/run/mtasts.sock"), Optional.of(PosixFilePermissions.fromString("rw-rw----"))));
        assertThat(((Endpoint.Unix) DaemonConfig.parse("path: /s\nmode: 438\n", "u.yml")
                                .endpoint())
                        .mode())
                .contains(PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(((Endpoint.Unix) DaemonConfig.parse("path: /s\n", "u.yml").endpoint()).mode())
                .isEmpty();
    }

    @Test
    void parse_mtastsOnlyMetricsAndDns() throws ConfigException {
        // PF-CONF-7
        DaemonConfig c =
                DaemonConfig.parse("metrics:\n  host: 127.0.0.2\n  port: 0\ndns:\n  server: 127.0.0.1:5353\n", "m.yml");
        assertThat(c.metrics()).contains(new MetricsConfig("127.0.0.2", 0));
        assertThat(c.dnsServer()).contains(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(DaemonConfig.parse("metrics:\n", "m.yml").metrics()).contains(MetricsConfig.defaults());
        assertThat(DaemonConfig.parse("dns:\n  server: '[::1]:53'\n", "m.yml").dnsServer())
                .contains(new InetSocketAddress("::1", 53));
        assertThat(DaemonConfig.parse("dns:\n  server: ::1\n", "m.yml").dnsServer())
                .contains(new InetSocketAddress("::1", 53));
        assertThat(DaemonConfig.parse("dns:\n  server: 192.0.2.1\n", "m.yml").dnsServer())
                .contains(new InetSocketAddress("192.0.2.1", 53));
    }

    @Test
    void parse_unknownKeyNamesFileLineAndPath() {
        // PF-CONF-2
        assertThatThrownBy(() -> DaemonConfig.parse("port: 1\nzones:\n  myzone:\n    timout: 4\n", "/etc/x.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/x.yml:4: zones.myzone.timout: unknown key");
        assertThatThrownBy(() -> DaemonConfig.parse("hots: 1\n", "x.yml"))
                .hasMessageStartingWith("x.yml:1: hots: unknown key");
    }

    @Test
    void parse_wrongTypesAndRangesNameTheKey() {
        // PF-CONF-2
        assertError("zones:\n  myzone:\n    timeout: fast\n", "x.yml:3: zones.myzone.timeout: must be a number");
        assertError(
                "zones:\n  myzone:\n    timeout: 0\n",
                "x.yml:3: zones.myzone.timeout: must be a number of seconds above 0");
        assertError("port: 70000\n", "x.yml:1: port: must be between 0 and 65535");
        assertError("port: '8461'\n", "x.yml:1: port: must be an integer");
        assertError("reuse_port: 1\n", "x.yml:1: reuse_port: must be true or false");
        assertError("cache_grace: -1\n", "x.yml:1: cache_grace: must be a number of seconds at least 0");
        assertError("\n\nmode: 01000\npath: /s\n", "x.yml:3: mode: must be between 0 and 511");
        assertError("host: [a, b]\n", "x.yml:1: host: must be a single value, not a list");
        assertError("zones: [a]\n", "x.yml:1: zones: must be a mapping");
        assertError("- a\n", "x.yml:1: (top level): must be a mapping");
        assertError(
                "proactive_policy_fetching:\n  grace_ratio: 0\n", "x.yml:2: proactive_policy_fetching.grace_ratio:");
        assertError(
                "proactive_policy_fetching:\n  concurrency_limit: 0\n",
                "x.yml:2: proactive_policy_fetching.concurrency_limit:");
        assertError("cache:\n  options:\n    cache_size: 0\n", "x.yml:3: cache.options.cache_size:");
        assertError("cache:\n  options:\n    filename: x\n", "x.yml:3: cache.options.filename: unknown key");
        assertError("port: 1\nport: 2\n", "x.yml:2: port: key given twice");
        assertError("dns:\n  server: resolver.example\n", "x.yml:2: dns.server: must be an IP address");
        assertError("dns:\n  server: 127.0.0.1:0\n", "x.yml:2: dns.server: port out of range");
        assertError("host: !!int abc\n", "x.yml:1: host: unreadable value");
        assertError("port: 1\n  bad: indentation\n", "x.yml:2: not valid YAML");
    }

    @Test
    void parse_unsupportedCacheTypesStopWithTheKeyAndLine() {
        // PF-CONF-4: never fall back silently to another cache
        assertError(
                "cache:\n  type: redis\n  options:\n    url: redis://localhost\n",
                "x.yml:2: cache.type: 'redis' is not supported by mtasts");
        assertError("cache:\n  type: redis_sentinel\n", "x.yml:2: cache.type: 'redis_sentinel' is not supported");
        assertError("cache:\n  type: memcached\n", "x.yml:2: cache.type: unknown cache type 'memcached'");
        assertError("cache:\n  type: sqlite\n", "x.yml:2: cache.options.filename: required");
        assertError(
                "cache:\n  type: sqlite\n  options:\n    threads: 4\n", "x.yml:4: cache.options.filename: required");
    }

    @Test
    void parse_postgresCacheTakesTheDsnAsThePythonDaemonDoes() throws ConfigException {
        // FLEET-PF-3: cache.options.dsn, a libpq URI or key=value string, with the defaults
        DaemonConfig c = DaemonConfig.parse(
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://mta:s3cret@db.example.net/mtasts\n",
                "p.yml");
        assertThat(c.cache())
                .isEqualTo(CacheConfig.Postgres.of(
                        dev.mtasts.store.jdbc.PostgresDsn.parse("postgresql://mta:s3cret@db.example.net/mtasts")));
        CacheConfig.Postgres p = (CacheConfig.Postgres) c.cache();
        assertThat(p.dsn().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.net:5432/mtasts");
        assertThat(p.connectionTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.poolSize()).isEqualTo(5);
        assertThat(p.operationTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.nodeId()).isEmpty();
        assertThat(p.toString()).doesNotContain("s3cret");
        // postfix-mta-sts-resolver's own 'timeout' and our optional keys
        CacheConfig.Postgres tuned =
                (CacheConfig.Postgres) DaemonConfig.parse("""
                        cache:
                          type: postgres
                          options:
                            dsn: "host=db1,db2 dbname=mtasts user=mta password='a b'"
                            timeout: 2.5
                            pool_size: 8
                            operation_timeout: 0.1
                            node_id: mx-1.example
                        """, "p.yml").cache();
        assertThat(tuned.dsn().jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5432,db2:5432/mtasts");
        assertThat(tuned.connectionTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(tuned.poolSize()).isEqualTo(8);
        assertThat(tuned.operationTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(tuned.nodeId()).contains("mx-1.example");
    }

    @Test
    void parse_postgresExampleOfTheDocs() throws ConfigException, IOException {
        // FLEET-PF-3: the example in docs/postfix.md, read from the file, means what the text says
        Path doc = Path.of("..", "docs", "postfix.md");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(doc), "docs not beside the module");
        String text = Files.readString(doc);
        int start = text.indexOf("```yaml\ncache:\n  type: postgres");
        assertThat(start).isNotNegative();
        String yaml = text.substring(start + "```yaml\n".length(), text.indexOf("```", start + 7));
        CacheConfig.Postgres p =
                (CacheConfig.Postgres) DaemonConfig.parse(yaml, "postfix.md").cache();
        assertThat(p.dsn().jdbcUrl()).isEqualTo("jdbc:postgresql://db1.example.net:5432,db2.example.net:5432/mtasts");
        assertThat(p.dsn().properties())
                .containsEntry("sslmode", "verify-full")
                .containsEntry("targetServerType", "primary")
                .containsEntry("user", "mtasts");
        assertThat(p.nodeId()).contains("mx1");
    }

    @Test
    void parse_postgresCacheErrorsNameTheDsnKeyAndNeverThePassword() {
        // FLEET-PF-3: missing or bad dsn, unknown options: the key, the line and why
        assertError("cache:\n  type: postgres\n", "x.yml:2: cache.options.dsn: required for cache type postgres");
        assertError(
                "cache:\n  type: postgres\n  options:\n    timeout: 5\n",
                "x.yml:4: cache.options.dsn: required for cache type postgres");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: ''\n",
                "x.yml:4: cache.options.dsn: must be a connection string");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: [a, b]\n",
                "x.yml:4: cache.options.dsn: must be a connection string");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://h/db?sslmode=sometimes\n",
                "x.yml:4: cache.options.dsn: sslmode: 'sometimes' is not one of");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://h/db\n    min_size: 2\n",
                "x.yml:5: cache.options.min_size: unknown key (known here: dsn, node_id, operation_timeout,"
                        + " pool_size, timeout)");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://h/db\n    timeout: 0.1\n",
                "x.yml:5: cache.options.timeout: must be at least 0.25 seconds");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://h/db\n    pool_size: 1\n",
                "x.yml:5: cache.options.pool_size: must be between 2 and 1000");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://h/db\n    operation_timeout: 0\n",
                "x.yml:5: cache.options.operation_timeout: must be a number of seconds above 0");
        assertError(
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://h/db\n    node_id: 'a b'\n",
                "x.yml:5: cache.options.node_id: must be 1 to 64 letters");
        // a password with an unencoded '/' breaks the URI: the message says why, without the password
        assertThatThrownBy(() -> DaemonConfig.parse(
                        "cache:\n  type: postgres\n  options:\n    dsn: postgres://mta:hun/ter2@h/db\n", "x.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("x.yml:4: cache.options.dsn: port '***' is not a number")
                .hasMessageNotContaining("hun");
    }

    @Test
    void postgres_recordChecksItsValues() {
        var dsn = dev.mtasts.store.jdbc.PostgresDsn.parse("postgresql://h/db");
        assertThatThrownBy(() -> new CacheConfig.Postgres(
                        dsn, Duration.ofMillis(100), 5, Duration.ofSeconds(1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectionTimeout");
        assertThatThrownBy(() -> new CacheConfig.Postgres(
                        dsn, Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolSize");
        assertThatThrownBy(
                        () -> new CacheConfig.Postgres(dsn, Duration.ofSeconds(1), 5, Duration.ZERO, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operationTimeout");
        assertThatThrownBy(() -> new CacheConfig.Postgres(
                        dsn, Duration.ofSeconds(1), 5, Duration.ofSeconds(1), Optional.of("a/b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeId");
    }

    @Test
    void parse_sqliteAcceptsThreadsAndTimeout() throws ConfigException {
        DaemonConfig c = DaemonConfig.parse(
                "cache:\n  type: sqlite\n  options:\n    filename: cache.db\n    threads: 4\n    timeout: 5\n",
                "s.yml");
        assertThat(c.cache()).isEqualTo(new CacheConfig.Durable(Path.of("cache.db"), Path.of("cache.db.d")));
    }

    @Test
    void read_namesTheFileInMessages(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("daemon.yml");
        Files.writeString(file, "zones:\n  z:\n    strict_testing: maybe\n");
        assertThatThrownBy(() -> DaemonConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: zones.z.strict_testing: must be true or false but was 'maybe'");
    }

    @Test
    void proactiveFetching_mapsIntervalAndGraceRatio() {
        // PF-CONF-5: due after interval / grace_ratio, checked at least every 10 minutes
        ProactiveFetching p = new ProactiveFetching(true, Duration.ofDays(1), 100, 2.0);
        assertThat(p.refreshAfter()).isEqualTo(Duration.ofHours(12));
        assertThat(p.checkEvery()).isEqualTo(Duration.ofMinutes(10));
        ProactiveFetching often = new ProactiveFetching(true, Duration.ofSeconds(60), 1, 1000);
        assertThat(often.refreshAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(often.checkEvery()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void withEndpoint_keepsTheRest() throws ConfigException {
        DaemonConfig c = DaemonConfig.parse(MANUAL_EXAMPLE, "e.yml");
        DaemonConfig moved = c.withEndpoint(new Endpoint.Inet("127.0.0.1", 0));
        assertThat(moved.endpoint()).isEqualTo(new Endpoint.Inet("127.0.0.1", 0));
        assertThat(moved.withEndpoint(c.endpoint())).isEqualTo(c);
    }

    private static void assertError(String yaml, String messageStart) {
        assertThatThrownBy(() -> DaemonConfig.parse(yaml, "x.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(messageStart);
    }
}
