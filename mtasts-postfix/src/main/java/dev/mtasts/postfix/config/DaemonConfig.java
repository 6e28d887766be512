package dev.mtasts.postfix.config;

import static java.util.Objects.requireNonNull;

import dev.mtasts.postfix.ZoneSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's configuration: postfix-mta-sts-resolver's YAML file, read with its keys and defaults
 * (PF-CONF-1), plus two mtasts-only keys, {@code metrics} and {@code dns} (PF-CONF-7, PF-DANE-2). Build one
 * with {@link #read(Path)} or {@link #parse(String, String)}; {@link #defaults()} is what an empty
 * file gives.
 *
 * @param source where the configuration came from (a file name), for messages
 * @param endpoint where the socketmap server listens
 * @param reusePort {@code reuse_port} (default true)
 * @param cacheGrace {@code cache_grace}: no TXT re-check for a policy fetched or checked this
 *     recently (default 60 s)
 * @param shutdownTimeout {@code shutdown_timeout}: how long stopping waits for requests in flight
 *     (default 20 s)
 * @param cache {@code cache}
 * @param proactiveFetching {@code proactive_policy_fetching}
 * @param defaultZone {@code default_zone}: the settings of map names without a zone of their own
 * @param zones {@code zones}: settings by map name
 * @param metrics mtasts-only {@code metrics}: the Prometheus endpoint, if any
 * @param dnsServer mtasts-only {@code dns.server}: ask only this name server (default: the system's)
 * @param dnssec mtasts-only {@code dns.dnssec_server} and {@code dns.dnssec_trust_anchor}: how zones
 *     with {@code dane: true} validate DNSSEC
 */
public record DaemonConfig(
        String source,
        Endpoint endpoint,
        boolean reusePort,
        Duration cacheGrace,
        Duration shutdownTimeout,
        CacheConfig cache,
        ProactiveFetching proactiveFetching,
        ZoneSettings defaultZone,
        Map<String, ZoneSettings> zones,
        Optional<MetricsConfig> metrics,
        Optional<InetSocketAddress> dnsServer,
        DnssecConfig dnssec) {

    /** The default configuration file of postfix-mta-sts-resolver, read by {@code mtasts serve}. */
    public static final Path DEFAULT_FILE = Path.of("/etc/mta-sts-daemon.yml");

    /** Checks and copies the values. */
    public DaemonConfig {
        requireNonNull(source, "source");
        requireNonNull(endpoint, "endpoint");
        requireNonNull(cacheGrace, "cacheGrace");
        requireNonNull(shutdownTimeout, "shutdownTimeout");
        requireNonNull(cache, "cache");
        requireNonNull(proactiveFetching, "proactiveFetching");
        requireNonNull(defaultZone, "defaultZone");
        zones = Map.copyOf(zones);
        requireNonNull(metrics, "metrics");
        requireNonNull(dnsServer, "dnsServer");
        requireNonNull(dnssec, "dnssec");
    }

    /** What an empty file gives: postfix-mta-sts-resolver's defaults, no metrics, the system's DNS. */
    public static DaemonConfig defaults() {
        return new DaemonConfig(
                "defaults",
                new Endpoint.Inet("127.0.0.1", 8461),
                true,
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                new CacheConfig.Internal(10_000),
                ProactiveFetching.defaults(),
                ZoneSettings.defaults(),
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                DnssecConfig.defaults());
    }

    /**
     * Reads a YAML file (UTF-8); unknown or unsupported keys, wrong types and out-of-range values fail
     * with the file, line and key path.
     *
     * @throws IOException when the file cannot be read
     */
    public static DaemonConfig read(Path file) throws IOException, ConfigException {
        byte[] bytes = Files.readAllBytes(file);
        return parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static DaemonConfig parse(String yaml, String source) throws ConfigException {
        requireNonNull(yaml, "yaml");
        requireNonNull(source, "source");
        return new ConfigReader(source).read(yaml);
    }

    /** The settings for map name {@code name}: its zone's, else {@link #defaultZone()} (PF-NET-3). */
    public ZoneSettings zone(String name) {
        return zones.getOrDefault(name, defaultZone);
    }

    /** This configuration listening on {@code endpoint} instead (for tests and tools). */
    public DaemonConfig withEndpoint(Endpoint endpoint) {
        return new DaemonConfig(
                source,
                endpoint,
                reusePort,
                cacheGrace,
                shutdownTimeout,
                cache,
                proactiveFetching,
                defaultZone,
                zones,
                metrics,
                dnsServer,
                dnssec);
    }

    /** Whether any zone, the default one included, has {@code dane: true}. */
    public boolean usesDane() {
        return defaultZone.dane() || zones.values().stream().anyMatch(ZoneSettings::dane);
    }

    /**
     * The server the validating resolver asks: {@code dns.dnssec_server}, else {@code dns.server};
     * empty means the first name server of the system configuration (PF-DANE-2).
     */
    public Optional<InetSocketAddress> dnssecServer() {
        return dnssec.server().or(() -> dnsServer);
    }
}
