package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection string as postfix-mta-sts-resolver's {@code cache.options.dsn} takes it
 * (a libpq URI, {@code postgres://user:password@host:port/dbname?option=value}, or libpq's
 * {@code key=value} form), turned into the JDBC URL and properties the PostgreSQL driver takes
 * (FLEET-DSN-1). Immutable.
 *
 * <p>The URL never holds the user or the password: they go into the properties, so the URL may be
 * logged; {@link #toString()} masks the password. Parameters map to the driver's equivalents where
 * one exists (FLEET-DSN-2); a parameter without one, or an unknown one, is refused rather than
 * dropped, since silently ignoring {@code sslmode=verify-full}'s neighbours would weaken a
 * connection the operator thought protected.
 *
 * @param jdbcUrl the {@code jdbc:postgresql://} URL, without user or password
 * @param properties connection properties: {@code user}, {@code password} and any others given
 */
public record PostgresDsn(String jdbcUrl, Map<String, String> properties) {
    private static final String DEFAULT_HOST = "localhost";
    private static final String DEFAULT_PORT = "5432";
    private static final Set<String> SECRETS = Set.of("password", "sslpassword");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");

    /** libpq parameters the JDBC driver has no equivalent for: refused with that reason. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "hostaddr",
            "passfile",
            "servicefile",
            "sslcrl",
            "sslcrldir",
            "sslsni",
            "sslcompression",
            "sslcertmode",
            "sslkeylogfile",
            "requiressl",
            "requirepeer",
            "ssl_min_protocol_version",
            "ssl_max_protocol_version",
            "min_protocol_version",
            "max_protocol_version",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
            "replication",
            "gssdelegation",
            "scram_client_key",
            "scram_server_key");

    /** Parameters taken verbatim (non-empty) under the driver's name. */
    private static final Map<String, String> VERBATIM = Map.of(
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "sslrootcert", "sslrootcert",
            "sslpassword", "sslpassword",
            "options", "options",
            "krbsrvname", "kerberosServerName",
            "require_auth", "requireAuth",
            "service", "service");

    /** Parameters with a closed set of values: libpq value to the driver's, under the driver's name. */
    private static final Map<String, Map<String, String>> CHOICES = Map.of(
            "sslmode",
            identity("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
            "target_session_attrs",
            Map.of(
                    "any", "any",
                    "read-write", "primary",
                    "primary", "primary",
                    "read-only", "secondary",
                    "standby", "secondary",
                    "prefer-standby", "preferSecondary"),
            "load_balance_hosts",
            Map.of("disable", "false", "random", "true"),
            "keepalives",
            Map.of("0", "false", "1", "true"),
            "gssencmode",
            identity("disable", "prefer", "require"),
            "gsslib",
            identity("gssapi", "sspi"),
            "channel_binding",
            identity("disable", "prefer", "require"),
            "sslnegotiation",
            identity("postgres", "direct"));

    private static final Map<String, String> CHOICE_NAMES = Map.of(
            "sslmode", "sslmode",
            "target_session_attrs", "targetServerType",
            "load_balance_hosts", "loadBalanceHosts",
            "keepalives", "tcpKeepAlive",
            "gssencmode", "gssEncMode",
            "gsslib", "gsslib",
            "channel_binding", "channelBinding",
            "sslnegotiation", "sslNegotiation");

    /** Parameters handled one by one in {@link #build}. */
    private static final Set<String> SPECIAL = Set.of(
            "host",
            "port",
            "dbname",
            "database",
            "user",
            "password",
            "connect_timeout",
            "application_name",
            "fallback_application_name",
            "client_encoding",
            "ssl");

    /** Copies the map. */
    public PostgresDsn {
        requireNonNull(jdbcUrl, "jdbcUrl");
        properties = Map.copyOf(properties);
    }

    /**
     * Parses {@code dsn}: a URI starting {@code postgres://} or {@code postgresql://}, else libpq's
     * {@code key=value} form.
     *
     * @throws IllegalArgumentException naming the part that is wrong and why; the message never
     *     holds the password
     */
    public static PostgresDsn parse(String dsn) {
        requireNonNull(dsn, "dsn");
        if (dsn.isBlank()) {
            throw new IllegalArgumentException("dsn is empty");
        }
        if (dsn.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("dsn contains a NUL character");
        }
        return new Parser(dsn).parse();
    }

    /** The properties as a fresh {@link Properties}, for {@code DriverManager} or a pool. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        return p;
    }

    /** The user, if the DSN names one (else the driver uses the operating system's user name). */
    public Optional<String> user() {
        return Optional.ofNullable(properties.get("user"));
    }

    /** The JDBC URL and properties, with the password and key password replaced by {@code ***}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(jdbcUrl);
        String sep = " {";
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            s.append(sep).append(e.getKey()).append('=');
            s.append(SECRETS.contains(e.getKey()) ? "***" : e.getValue());
            sep = ", ";
        }
        return properties.isEmpty() ? s.toString() : s.append('}').toString();
    }

    /** One parse: knows where secrets may sit in the text, so messages never quote them. */
    private static final class Parser {
        private final String dsn;
        /** Stretches of the raw text that may hold a password: never quoted in messages. */
        private final List<String> secretRegions = new ArrayList<>();

        Parser(String dsn) {
            this.dsn = dsn;
            int scheme = dsn.indexOf("://");
            int lastAt = dsn.lastIndexOf('@');
            if (scheme >= 0 && lastAt > scheme) {
                secretRegions.add(dsn.substring(scheme + 3, lastAt));
            }
            for (String key : SECRETS) {
                for (int i = dsn.indexOf(key); i >= 0; i = dsn.indexOf(key, i + 1)) {
                    secretRegions.add(dsn.substring(i + key.length()));
                }
            }
        }

        PostgresDsn parse() {
            Map<String, String> keywords = dsn.startsWith("postgresql://") || dsn.startsWith("postgres://")
                    ? uriKeywords(dsn.substring(dsn.indexOf("://") + 3))
                    : keyValueKeywords(dsn);
            return build(keywords);
        }

        /** Text for a message: {@code ***} if it may be (part of) a secret, else at most 60 characters. */
        private String shown(String s) {
            if (s.isEmpty()) {
                return s;
            }
            for (String region : secretRegions) {
                if (region.contains(s) || containsDecoded(region, s)) {
                    return "***";
                }
            }
            return printable(s);
        }

        private static boolean containsDecoded(String region, String s) {
            try {
                return URLDecoder.decode(region.replace("+", "%2B"), StandardCharsets.UTF_8)
                        .contains(s);
            } catch (RuntimeException e) {
                return false;
            }
        }

        // ---- the URI form: postgresql://[user[:password]@][host[:port][,...]][/dbname][?k=v[&...]] ----

        private Map<String, String> uriKeywords(String rest) {
            Map<String, String> keywords = new LinkedHashMap<>();
            int pathStart = firstOf(rest, "/?");
            String authority = rest.substring(0, pathStart);
            String tail = rest.substring(pathStart);
            // The user part ends at the first '@', as in libpq and asyncpg; a password holding '@' must
            // be percent-encoded.
            int at = authority.indexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
                if (!user.isEmpty()) {
                    keywords.put("user", decode(user, "user"));
                }
                if (colon >= 0) {
                    keywords.put("password", decode(userInfo.substring(colon + 1), "password"));
                }
            }
            if (!authority.isEmpty()) {
                hostSpec(authority, keywords);
            }
            String query = "";
            int q = tail.indexOf('?');
            String path = q < 0 ? tail : tail.substring(0, q);
            if (q >= 0) {
                query = tail.substring(q + 1);
            }
            if (path.length() > 1) {
                keywords.put("dbname", decode(path.substring(1), "dbname"));
            }
            if (!query.isEmpty()) {
                for (String pair : query.split("&", -1)) {
                    int eq = pair.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException(
                                "query parameter '" + shown(pair) + "' has no '=' (expected name=value)");
                    }
                    if (pair.indexOf('=', eq + 1) >= 0) {
                        throw new IllegalArgumentException("query parameter '" + shown(pair.substring(0, eq))
                                + "' has a second '='; encode it as %3D");
                    }
                    String name = decode(pair.substring(0, eq), "a query parameter name");
                    String value = decode(pair.substring(eq + 1), name);
                    // A later host or port replaces the one of the authority, as in libpq.
                    keywords.put(name, value);
                }
            }
            return keywords;
        }

        /** {@code host[:port]} items separated by commas, IPv6 literals in brackets. */
        private void hostSpec(String spec, Map<String, String> keywords) {
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (String item : spec.split(",", -1)) {
                String host;
                String port = "";
                if (item.startsWith("[")) {
                    int close = item.indexOf(']');
                    if (close < 0) {
                        throw new IllegalArgumentException(
                                "host '" + shown(item) + "': missing ']' after the IPv6 address");
                    }
                    host = item.substring(1, close);
                    String after = item.substring(close + 1);
                    if (!after.isEmpty()) {
                        if (!after.startsWith(":")) {
                            throw new IllegalArgumentException("host '" + shown(item)
                                    + "': expected ':port' after ']' but found '" + shown(after) + "'");
                        }
                        port = after.substring(1);
                    }
                    if (host.isEmpty()) {
                        throw new IllegalArgumentException("host '[]' is empty");
                    }
                } else {
                    int colon = item.indexOf(':');
                    host = colon < 0 ? item : item.substring(0, colon);
                    port = colon < 0 ? "" : item.substring(colon + 1);
                }
                hosts.add(decode(host, "host"));
                ports.add(decode(port, "port"));
            }
            keywords.put("host", String.join(",", hosts));
            if (ports.stream().anyMatch(p -> !p.isEmpty())) {
                keywords.put("port", String.join(",", ports));
            }
        }

        private int firstOf(String s, String chars) {
            for (int i = 0; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return s.length();
        }

        /** Percent-decodes UTF-8 (no '+' for space: libpq does not). */
        private String decode(String s, String part) {
            if (s.indexOf('%') < 0) {
                return s;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
            for (int i = 0; i < s.length(); ) {
                char c = s.charAt(i);
                if (c != '%') {
                    byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                        b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                        i++;
                    }
                    bytes.write(b, 0, b.length);
                    i++;
                    continue;
                }
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException(part + ": '%' must be followed by two hexadecimal digits");
                }
                int value = hi * 16 + lo;
                if (value == 0) {
                    throw new IllegalArgumentException(part + ": %00 is not allowed");
                }
                bytes.write(value);
                i += 3;
            }
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(part + ": the percent-encoded bytes are not UTF-8");
            }
        }

        // ---- the key=value form: host=h port=5432 password='it''s' ----

        private Map<String, String> keyValueKeywords(String s) {
            Map<String, String> keywords = new LinkedHashMap<>();
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    return keywords;
                }
                int keyStart = i;
                while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                String key = s.substring(keyStart, i);
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n || s.charAt(i) != '=') {
                    throw new IllegalArgumentException("missing '=' after '" + shown(key)
                            + "' (expected a URI starting postgresql:// or key=value pairs)");
                }
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("'=' without a parameter name before it");
                }
                i++;
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                if (i < n && s.charAt(i) == '\'') {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = s.charAt(i++);
                        if (c == '\\' && i < n) {
                            value.append(s.charAt(i++));
                        } else if (c == '\'') {
                            closed = true;
                            break;
                        } else {
                            value.append(c);
                        }
                    }
                    if (!closed) {
                        throw new IllegalArgumentException(key + ": the quoted value has no closing quote");
                    }
                } else {
                    while (i < n && !Character.isWhitespace(s.charAt(i))) {
                        char c = s.charAt(i++);
                        if (c == '\\' && i < n) {
                            value.append(s.charAt(i++));
                        } else {
                            value.append(c);
                        }
                    }
                }
                keywords.put(key, value.toString());
            }
        }

        // ---- from libpq keywords to the driver's URL and properties ----

        private PostgresDsn build(Map<String, String> keywords) {
            Map<String, String> props = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : keywords.entrySet()) {
                String name = e.getKey();
                String value = e.getValue();
                if (SPECIAL.contains(name)) {
                    continue;
                }
                if (VERBATIM.containsKey(name)) {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException(name + ": must not be empty");
                    }
                    props.put(VERBATIM.get(name), value);
                } else if (CHOICES.containsKey(name)) {
                    String mapped = CHOICES.get(name).get(value);
                    if (mapped == null) {
                        throw new IllegalArgumentException(name + ": '" + shown(value) + "' is not one of "
                                + new TreeMap<>(CHOICES.get(name)).keySet());
                    }
                    props.put(CHOICE_NAMES.get(name), mapped);
                } else if (UNSUPPORTED.contains(name)) {
                    throw new IllegalArgumentException("parameter '" + name
                            + "' has no equivalent in the PostgreSQL JDBC driver; remove it from the dsn");
                } else {
                    throw new IllegalArgumentException("unknown parameter '" + shown(name) + "'");
                }
            }
            String user = keywords.get("user");
            if (user != null && !user.isEmpty()) {
                props.put("user", user);
            }
            String password = keywords.get("password");
            if (password != null && !password.isEmpty()) {
                props.put("password", password);
            }
            connectTimeout(keywords, props);
            applicationName(keywords, props);
            String encoding = keywords.get("client_encoding");
            if (encoding != null && !Set.of("utf8", "utf-8", "unicode").contains(encoding.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("client_encoding: '" + shown(encoding)
                        + "' is not supported; the JDBC driver always talks UTF8");
            }
            String ssl = keywords.get("ssl");
            if (ssl != null) {
                // libpq takes ssl=true in URIs for the JDBC driver's sake: it means sslmode=require.
                if (!ssl.equals("true")) {
                    throw new IllegalArgumentException("ssl: only 'true' is allowed (it means sslmode=require)");
                }
                props.putIfAbsent("sslmode", "require");
            }
            String dbname = keywords.get("dbname");
            String database = keywords.get("database");
            if (dbname != null && database != null && !dbname.equals(database)) {
                throw new IllegalArgumentException("dbname and database name different databases");
            }
            String db = dbname != null ? dbname : database != null ? database : "";
            if (db.isEmpty() && user != null) {
                db = user; // libpq's default: the database named after the user
            }
            return new PostgresDsn(
                    "jdbc:postgresql://" + hosts(keywords) + "/" + URLEncoder.encode(db, StandardCharsets.UTF_8),
                    props);
        }

        private void connectTimeout(Map<String, String> keywords, Map<String, String> props) {
            String value = keywords.get("connect_timeout");
            if (value == null) {
                return;
            }
            if (!INTEGER.matcher(value.strip()).matches()) {
                throw new IllegalArgumentException(
                        "connect_timeout: must be a whole number of seconds but was '" + shown(value) + "'");
            }
            int seconds = Integer.parseInt(value.strip());
            // libpq: zero or less waits for ever (the driver's 0), and 1 counts as 2.
            props.put("connectTimeout", String.valueOf(seconds <= 0 ? 0 : Math.max(2, seconds)));
        }

        private void applicationName(Map<String, String> keywords, Map<String, String> props) {
            String name = keywords.get("application_name");
            if (name == null || name.isEmpty()) {
                name = keywords.get("fallback_application_name");
            }
            if (name != null && !name.isEmpty()) {
                props.put("ApplicationName", name);
            }
        }

        private String hosts(Map<String, String> keywords) {
            String hostList = keywords.getOrDefault("host", "");
            String portList = keywords.getOrDefault("port", "");
            String[] hosts = hostList.split(",", -1);
            String[] ports = portList.split(",", -1);
            if (ports.length != 1 && ports.length != hosts.length) {
                throw new IllegalArgumentException("port: " + ports.length + " ports do not match " + hosts.length
                        + " hosts (give one, or one per host)");
            }
            StringBuilder url = new StringBuilder();
            for (int i = 0; i < hosts.length; i++) {
                String host = checkedHost(hosts[i].strip());
                String port = checkedPort((ports.length == 1 ? ports[0] : ports[i]).strip());
                if (i > 0) {
                    url.append(',');
                }
                url.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                        .append(':')
                        .append(port);
            }
            return url.toString();
        }

        private String checkedHost(String host) {
            if (host.isEmpty()) {
                return DEFAULT_HOST;
            }
            if (host.startsWith("/") || host.startsWith("@")) {
                throw new IllegalArgumentException(
                        "host '" + shown(host)
                                + "' is a unix-domain socket, which the JDBC driver cannot use; give a TCP host name or address");
            }
            if (host.indexOf(':') >= 0) {
                if (IPV6.matcher(host).matches()) {
                    try {
                        // A literal with a ':' is parsed, never looked up in DNS.
                        InetAddress.getByName(host);
                        return host;
                    } catch (UnknownHostException e) {
                        // Falls through to the error below.
                    }
                }
                throw new IllegalArgumentException("host '" + shown(host) + "' is not a valid IPv6 address");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException(
                        "host '" + shown(host) + "' is not a host name or IP address (letters, digits, '.', '-', '_')");
            }
            return host;
        }

        private String checkedPort(String port) {
            if (port.isEmpty()) {
                return DEFAULT_PORT;
            }
            if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("port '" + shown(port) + "' is not a number");
            }
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("port " + value + " is out of range 1-65535");
            }
            return String.valueOf(value);
        }
    }

    private static Map<String, String> identity(String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) {
            m.put(v, v);
        }
        return Map.copyOf(m);
    }

    /** A value for a message: at most 60 characters, control characters escaped. */
    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder b = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
