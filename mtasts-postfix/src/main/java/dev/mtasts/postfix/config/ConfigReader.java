package dev.mtasts.postfix.config;

import dev.mtasts.core.dns.TrustAnchors;
import dev.mtasts.postfix.ZoneSettings;
import dev.mtasts.store.jdbc.PostgresDsn;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads postfix-mta-sts-resolver's YAML into a {@link DaemonConfig}. SnakeYAML composes the node
 * tree (so every error can name its line) and types the scalars with YAML 1.1's rules, as PyYAML's
 * {@code safe_load} does for the Python daemon: {@code mode: 0666} is octal, {@code yes} is true.
 * A key given with no value (YAML null) takes its default, as a commented-out block does.
 */
final class ConfigReader {
    private static final Set<String> TOP = Set.of(
            "host",
            "port",
            "path",
            "mode",
            "reuse_port",
            "cache_grace",
            "shutdown_timeout",
            "cache",
            "proactive_policy_fetching",
            "default_zone",
            "zones",
            "metrics",
            "dns");
    private static final Set<String> CACHE = Set.of("type", "options");
    private static final Set<String> INTERNAL_OPTIONS = Set.of("cache_size");
    private static final Set<String> SQLITE_OPTIONS = Set.of("filename", "threads", "timeout");
    private static final Set<String> POSTGRES_OPTIONS =
            Set.of("dsn", "timeout", "pool_size", "operation_timeout", "node_id");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> PROACTIVE = Set.of("enabled", "interval", "concurrency_limit", "grace_ratio");
    private static final Set<String> ZONE =
            Set.of("strict_testing", "timeout", "require_sni", "tlsrpt", "temp_on_dns_error", "dane");
    private static final Set<String> METRICS = Set.of("host", "port");
    private static final Set<String> DNS = Set.of("server", "dnssec_server", "dnssec_trust_anchor");
    /** Longest duration any key accepts: ten years, far beyond any sensible setting. */
    private static final double MAX_SECONDS = 10 * 365 * 86_400.0;

    private final String source;
    private final Scalars scalars;
    private final LoaderOptions options;

    ConfigReader(String source) {
        this.source = source;
        this.options = new LoaderOptions();
        // The file is small and written by an administrator: refuse alias bombs and deep nesting.
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(16);
        options.setAllowDuplicateKeys(false);
        this.scalars = new Scalars(options);
    }

    DaemonConfig read(String yaml) throws ConfigException {
        Node root = compose(yaml);
        DaemonConfig d = DaemonConfig.defaults();
        if (root == null || isNull(root)) {
            return new DaemonConfig(
                    source,
                    d.endpoint(),
                    d.reusePort(),
                    d.cacheGrace(),
                    d.shutdownTimeout(),
                    d.cache(),
                    d.proactiveFetching(),
                    d.defaultZone(),
                    d.zones(),
                    d.metrics(),
                    d.dnsServer(),
                    d.dnssec());
        }
        Section top = section(root, "", TOP);
        return new DaemonConfig(
                source,
                endpoint(top),
                bool(top, "reuse_port", d.reusePort()),
                seconds(top, "cache_grace", d.cacheGrace(), true),
                seconds(top, "shutdown_timeout", d.shutdownTimeout(), true),
                cache(top),
                proactive(top),
                zone(top.get("default_zone"), "default_zone"),
                zones(top),
                metrics(top),
                dns(top),
                dnssec(top));
    }

    private @Nullable Node compose(String yaml) throws ConfigException {
        try {
            return new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 1 : mark.getLine() + 1;
            throw new ConfigException(source + ":" + line + ": not valid YAML: " + oneLine(e.getProblem()));
        } catch (RuntimeException e) {
            // SnakeYAML signals limits and reader errors with other runtime exceptions.
            throw new ConfigException(source + ": not valid YAML: " + oneLine(e.getMessage()));
        }
    }

    private Endpoint endpoint(Section top) throws ConfigException {
        Optional<String> path = string(top, "path");
        if (path.isPresent()) {
            Path socket = path(top, "path", path.get());
            return new Endpoint.Unix(socket, mode(top));
        }
        mode(top); // checked even when unused, so a typo does not wait for the day a path is set
        String host = string(top, "host").orElse("127.0.0.1");
        return new Endpoint.Inet(host, port(top, "port", 8461));
    }

    private Optional<Set<PosixFilePermission>> mode(Section s) throws ConfigException {
        Node node = s.get("mode");
        if (node == null) {
            return Optional.empty();
        }
        long bits = integer(s, "mode", node, 0, 0777);
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            // The enum lists owner rwx, group rwx, others rwx: bit 8 down to bit 0.
            if ((bits & (1L << (8 - p.ordinal()))) != 0) {
                mode.add(p);
            }
        }
        return Optional.of(mode);
    }

    private CacheConfig cache(Section top) throws ConfigException {
        Node cacheNode = top.get("cache");
        if (cacheNode == null) {
            return new CacheConfig.Internal(10_000);
        }
        Section cache = section(cacheNode, "cache", CACHE);
        String type = string(cache, "type").orElse("internal");
        Node typeNode = cache.get("type");
        Node where = typeNode != null ? typeNode : cacheNode;
        Node optionsNode = cache.get("options");
        switch (type) {
            case "internal": {
                Section o = optionsNode == null
                        ? new Section(cacheNode, "cache.options", Map.of(), Set.of())
                        : section(optionsNode, "cache.options", INTERNAL_OPTIONS);
                return new CacheConfig.Internal(number(o, "cache_size", 10_000, 1, 1_000_000_000L));
            }
            case "sqlite": {
                if (optionsNode == null) {
                    throw error(where, "cache.options.filename", "required for cache type sqlite");
                }
                Section o = section(optionsNode, "cache.options", SQLITE_OPTIONS);
                // threads and timeout tune SQLite's connection pool; the file store has none.
                number(o, "threads", 1, 1, 1024);
                seconds(o, "timeout", Duration.ofSeconds(5), false);
                String file = string(o, "filename")
                        .orElseThrow(
                                () -> error(optionsNode, "cache.options.filename", "required for cache type sqlite"));
                return CacheConfig.Durable.forSqliteFile(path(o, "filename", file));
            }
            case "redis":
            case "redis_sentinel":
                throw error(
                        where,
                        "cache.type",
                        "'" + type + "' is not supported by mtasts; use internal, sqlite for a cache that"
                                + " survives restarts, or postgres for one a fleet of daemons shares");
            case "postgres":
                return postgres(where, optionsNode);
            default:
                throw error(
                        where,
                        "cache.type",
                        "unknown cache type '" + type + "' (known: internal, sqlite, redis, redis_sentinel, postgres)");
        }
    }

    /**
     * {@code cache: {type: postgres, options: {dsn: ...}}} (FLEET-PF-3). The DSN holds a password:
     * no message quotes it, only the parser's reason, which never does.
     */
    private CacheConfig postgres(Node where, @Nullable Node optionsNode) throws ConfigException {
        if (optionsNode == null) {
            throw error(where, "cache.options.dsn", "required for cache type postgres");
        }
        Section o = section(optionsNode, "cache.options", POSTGRES_OPTIONS);
        Node dsnNode = o.get("dsn");
        if (dsnNode == null) {
            throw error(optionsNode, "cache.options.dsn", "required for cache type postgres");
        }
        Object value = dsnNode instanceof ScalarNode ? scalarOrNull(dsnNode) : null;
        if (!(value instanceof String text) || text.isBlank()) {
            throw error(
                    dsnNode,
                    "cache.options.dsn",
                    "must be a connection string (postgresql://user:password@host:port/dbname, or"
                            + " host=... dbname=... key=value pairs)");
        }
        PostgresDsn dsn;
        try {
            dsn = PostgresDsn.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(dsnNode, "cache.options.dsn", oneLine(e.getMessage()));
        }
        CacheConfig.Postgres d = CacheConfig.Postgres.of(dsn);
        Duration timeout = seconds(o, "timeout", d.connectionTimeout(), false);
        if (timeout.compareTo(Duration.ofMillis(250)) < 0) {
            Node at = o.get("timeout");
            throw error(at == null ? optionsNode : at, "cache.options.timeout", "must be at least 0.25 seconds");
        }
        int poolSize = (int) number(o, "pool_size", d.poolSize(), 2, 1000);
        Duration operationTimeout = seconds(o, "operation_timeout", d.operationTimeout(), false);
        Optional<String> nodeId = string(o, "node_id");
        if (nodeId.isPresent() && !NODE_ID.matcher(nodeId.get()).matches()) {
            Node at = o.get("node_id");
            throw error(
                    at == null ? optionsNode : at,
                    "cache.options.node_id",
                    "must be 1 to 64 letters, digits, '.', '_' or '-' but was " + shown(at == null ? optionsNode : at));
        }
        return new CacheConfig.Postgres(dsn, timeout, poolSize, operationTimeout, nodeId);
    }

    private @Nullable Object scalarOrNull(Node node) {
        try {
            return scalars.value(node);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private ProactiveFetching proactive(Section top) throws ConfigException {
        ProactiveFetching d = ProactiveFetching.defaults();
        Node node = top.get("proactive_policy_fetching");
        if (node == null) {
            return d;
        }
        Section s = section(node, "proactive_policy_fetching", PROACTIVE);
        boolean enabled = bool(s, "enabled", d.enabled());
        Duration interval = seconds(s, "interval", d.interval(), false);
        int limit = (int) number(s, "concurrency_limit", d.concurrencyLimit(), 1, 100_000);
        double ratio = real(s, "grace_ratio", d.graceRatio());
        return new ProactiveFetching(enabled, interval, limit, ratio);
    }

    private Map<String, ZoneSettings> zones(Section top) throws ConfigException {
        Node node = top.get("zones");
        if (node == null) {
            return Map.of();
        }
        MappingNode map = mapping(node, "zones");
        Map<String, ZoneSettings> zones = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String name = keyName(t.getKeyNode(), "zones");
            if (zones.containsKey(name)) {
                throw error(t.getKeyNode(), "zones." + name, "zone given twice");
            }
            zones.put(name, zone(nullToAbsent(t.getValueNode()), "zones." + name));
        }
        return zones;
    }

    private ZoneSettings zone(@Nullable Node node, String path) throws ConfigException {
        ZoneSettings d = ZoneSettings.defaults();
        if (node == null) {
            return d;
        }
        Section s = section(node, path, ZONE);
        return new ZoneSettings(
                bool(s, "strict_testing", d.strictTesting()),
                seconds(s, "timeout", d.timeout(), false),
                bool(s, "require_sni", d.requireSni()),
                bool(s, "tlsrpt", d.tlsrpt()),
                bool(s, "temp_on_dns_error", d.tempOnDnsError()),
                bool(s, "dane", d.dane()));
    }

    private Optional<MetricsConfig> metrics(Section top) throws ConfigException {
        if (!top.has("metrics")) {
            return Optional.empty();
        }
        MetricsConfig d = MetricsConfig.defaults();
        Node node = top.get("metrics");
        if (node == null) {
            return Optional.of(d);
        }
        Section s = section(node, "metrics", METRICS);
        return Optional.of(new MetricsConfig(string(s, "host").orElse(d.host()), port(s, "port", d.port())));
    }

    private Optional<InetSocketAddress> dns(Section top) throws ConfigException {
        Node node = top.get("dns");
        if (node == null) {
            return Optional.empty();
        }
        Section s = section(node, "dns", DNS);
        Optional<String> server = string(s, "server");
        if (server.isEmpty()) {
            return Optional.empty();
        }
        Node where = s.get("server");
        return Optional.of(serverAddress(server.get(), where == null ? node : where, s.path("server")));
    }

    private DnssecConfig dnssec(Section top) throws ConfigException {
        Node node = top.get("dns");
        if (node == null) {
            return DnssecConfig.defaults();
        }
        Section s = section(node, "dns", DNS);
        Optional<InetSocketAddress> server = Optional.empty();
        Optional<String> serverText = string(s, "dnssec_server");
        if (serverText.isPresent()) {
            Node where = s.get("dnssec_server");
            server =
                    Optional.of(serverAddress(serverText.get(), where == null ? node : where, s.path("dnssec_server")));
        }
        Optional<String> anchorText = string(s, "dnssec_trust_anchor");
        if (anchorText.isEmpty()) {
            return new DnssecConfig(server, TrustAnchors.ianaRoot(), Optional.empty());
        }
        Node where = s.get("dnssec_trust_anchor");
        Node at = where == null ? node : where;
        String path = s.path("dnssec_trust_anchor");
        Path file = path(s, "dnssec_trust_anchor", anchorText.get());
        String text;
        try {
            // Read at start-up, so a missing or broken file stops the daemon with its key and line
            // instead of failing every DANE lookup later.
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw error(at, path, "cannot read " + file + ": " + oneLine(e.toString()));
        }
        try {
            return new DnssecConfig(server, TrustAnchors.parse(text), Optional.of(file));
        } catch (IllegalArgumentException e) {
            throw error(at, path, file + ": " + oneLine(e.getMessage()));
        }
    }

    private InetSocketAddress serverAddress(String text, Node where, String path) throws ConfigException {
        String host = text;
        int port = 53;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw error(where, path, "missing ']' in '" + text + "'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                port = portText(rest.startsWith(":") ? rest.substring(1) : "", where, path);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            int colon = text.indexOf(':');
            host = text.substring(0, colon);
            port = portText(text.substring(colon + 1), where, path);
        }
        // Only literals: a name would need the very DNS this setting chooses.
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw error(
                    where,
                    path,
                    "must be an IP address with an optional port, e.g. 127.0.0.1:53, but was '" + text + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw error(where, path, "not an IP address: '" + host + "'");
        }
    }

    private int portText(String digits, Node where, String path) throws ConfigException {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error(where, path, "bad port '" + digits + "'");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw error(where, path, "port out of range: " + port);
        }
        return port;
    }

    // ---- scalar readers: null means absent, so the default applies ----

    private boolean bool(Section s, String key, boolean fallback) throws ConfigException {
        Node node = s.get(key);
        if (node == null) {
            return fallback;
        }
        if (scalar(s, key, node) instanceof Boolean b) {
            return b;
        }
        throw error(node, s.path(key), "must be true or false but was " + shown(node));
    }

    private Optional<String> string(Section s, String key) throws ConfigException {
        Node node = s.get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (scalar(s, key, node) instanceof String str && !str.isEmpty()) {
            return Optional.of(str);
        }
        throw error(node, s.path(key), "must be a non-empty string but was " + shown(node));
    }

    private Path path(Section s, String key, String text) throws ConfigException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            Node node = s.get(key);
            throw error(node == null ? s.node : node, s.path(key), "not a usable path: " + oneLine(e.getMessage()));
        }
    }

    private int port(Section s, String key, int fallback) throws ConfigException {
        return (int) number(s, key, fallback, 0, 65535);
    }

    private long number(Section s, String key, long fallback, long min, long max) throws ConfigException {
        Node node = s.get(key);
        return node == null ? fallback : integer(s, key, node, min, max);
    }

    private long integer(Section s, String key, Node node, long min, long max) throws ConfigException {
        Object value = scalar(s, key, node);
        BigInteger big;
        if (value instanceof Integer || value instanceof Long) {
            big = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger b) {
            big = b;
        } else {
            throw error(node, s.path(key), "must be an integer but was " + shown(node));
        }
        if (big.compareTo(BigInteger.valueOf(min)) < 0 || big.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error(node, s.path(key), "must be between " + min + " and " + max + " but was " + shown(node));
        }
        return big.longValue();
    }

    private double real(Section s, String key, double fallback) throws ConfigException {
        Node node = s.get(key);
        if (node == null) {
            return fallback;
        }
        double value = numeric(s, key, node);
        if (!(value > 0) || value > 1_000_000) {
            throw error(node, s.path(key), "must be a number above 0 and at most 1000000 but was " + shown(node));
        }
        return value;
    }

    private Duration seconds(Section s, String key, Duration fallback, boolean zeroAllowed) throws ConfigException {
        Node node = s.get(key);
        if (node == null) {
            return fallback;
        }
        double value = numeric(s, key, node);
        if (Double.isNaN(value) || value < 0 || (!zeroAllowed && value == 0) || value > MAX_SECONDS) {
            String range = zeroAllowed ? "at least 0" : "above 0";
            throw error(
                    node,
                    s.path(key),
                    "must be a number of seconds " + range + " and at most " + (long) MAX_SECONDS + " but was "
                            + shown(node));
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    private double numeric(Section s, String key, Node node) throws ConfigException {
        Object value = scalar(s, key, node);
        if (value instanceof Number n && !(value instanceof Float)) {
            return n.doubleValue();
        }
        throw error(node, s.path(key), "must be a number but was " + shown(node));
    }

    private Object scalar(Section s, String key, Node node) throws ConfigException {
        if (!(node instanceof ScalarNode)) {
            throw error(node, s.path(key), "must be a single value, not a " + kind(node));
        }
        try {
            Object value = scalars.value(node);
            return value == null ? "" : value;
        } catch (RuntimeException e) {
            // A bad explicit tag (!!int abc, !custom) fails in SnakeYAML's constructor.
            throw error(node, s.path(key), "unreadable value " + shown(node) + ": " + oneLine(e.getMessage()));
        }
    }

    // ---- structure ----

    private Section section(Node node, String path, Set<String> allowed) throws ConfigException {
        MappingNode map = mapping(node, path.isEmpty() ? "(top level)" : path);
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String name = keyName(t.getKeyNode(), path);
            String full = path.isEmpty() ? name : path + "." + name;
            if (!allowed.contains(name)) {
                throw error(
                        t.getKeyNode(), full, "unknown key (known here: " + String.join(", ", sorted(allowed)) + ")");
            }
            if (keys.containsKey(name)) {
                throw error(t.getKeyNode(), full, "key given twice");
            }
            keys.put(name, t.getKeyNode());
            Node value = nullToAbsent(t.getValueNode());
            if (value != null) {
                values.put(name, value);
            }
        }
        return new Section(node, path, values, keys.keySet());
    }

    private MappingNode mapping(Node node, String path) throws ConfigException {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw error(node, path, "must be a mapping of keys to values, not a " + kind(node));
    }

    private String keyName(Node key, String path) throws ConfigException {
        if (key instanceof ScalarNode s && !s.getValue().isEmpty()) {
            return s.getValue();
        }
        throw error(key, path.isEmpty() ? "(top level)" : path, "keys must be plain names");
    }

    private static @Nullable Node nullToAbsent(Node node) {
        return isNull(node) ? null : node;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private ConfigException error(Node node, String path, String why) {
        int line = node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
        return new ConfigException(source + ":" + line + ": " + path + ": " + why);
    }

    private static String kind(Node node) {
        return switch (node.getNodeId()) {
            case mapping -> "mapping";
            case sequence -> "list";
            case scalar -> "single value";
            case anchor -> "reference";
        };
    }

    private static String shown(Node node) {
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            return "'" + (v.length() > 60 ? v.substring(0, 60) + "..." : v) + "'";
        }
        return "a " + kind(node);
    }

    private static String oneLine(@Nullable String message) {
        return message == null ? "unknown problem" : message.strip().replaceAll("\\s+", " ");
    }

    private static java.util.List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    /** One mapping's entries, null values left out, with the key path for messages. */
    private static final class Section {

        final Node node;
        final String path;
        final Map<String, Node> values;
        final Set<String> present;

        Section(Node node, String path, Map<String, Node> values, Set<String> present) {
            this.node = node;
            this.path = path;
            this.values = values;
            this.present = present;
        }

        @Nullable
        Node get(String key) {
            return values.get(key);
        }

        boolean has(String key) {
            return present.contains(key);
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    /** SnakeYAML's safe constructor, used one scalar at a time to type values by YAML 1.1's rules. */
    private static final class Scalars extends SafeConstructor {
        Scalars(LoaderOptions options) {
            super(options);
        }

        @Nullable
        Object value(Node node) {
            return constructObject(node);
        }
    }
}
