package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.testkit.server.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PostgresDsnTest {

    @Test
    void parse_uriWithEverything() {
        // FLEET-DSN-1: user, password, host, port and database of a libpq URI
        PostgresDsn dsn = PostgresDsn.parse("postgresql://mta:s3cret@db.example.net:6543/mtasts");
        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.net:6543/mtasts");
        assertThat(dsn.properties()).isEqualTo(Map.of("user", "mta", "password", "s3cret"));
        assertThat(dsn.user()).contains("mta");
        assertThat(PostgresDsn.parse("postgres://mta:s3cret@db.example.net:6543/mtasts"))
                .isEqualTo(dsn);
    }

    @Test
    void parse_uriDefaultsFollowLibpq() {
        // FLEET-DSN-1: no host is localhost (TCP: the driver has no unix sockets), no port 5432,
        // no database the user's name
        assertThat(PostgresDsn.parse("postgresql://").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/");
        assertThat(PostgresDsn.parse("postgresql://mta@").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/mta");
        assertThat(PostgresDsn.parse("postgresql://h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(PostgresDsn.parse("postgresql://h:5433").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/");
        assertThat(PostgresDsn.parse("postgresql://h/").properties()).isEmpty();
    }

    @Test
    void parse_percentDecodesEveryPart() {
        // FLEET-DSN-1: '@', ':' and '/' in a password, spaces in a database name
        PostgresDsn dsn = PostgresDsn.parse("postgresql://us%65r:p%40ss%3Aw%2Frd%20%C3%A9@h/my%20db%2Bx");
        assertThat(dsn.properties()).containsEntry("user", "user").containsEntry("password", "p@ss:w/rd é");
        // '+' stays '+' in a URI (libpq), and the JDBC URL re-encodes the name for the driver
        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/my+db%2Bx");
        assertThat(PostgresDsn.parse("postgresql://u:a+b@h/d").properties()).containsEntry("password", "a+b");
    }

    @Test
    void parse_ipv6AndSeveralHosts() {
        // FLEET-DSN-1: IPv6 literals in brackets, several hosts with their own ports
        assertThat(PostgresDsn.parse("postgresql://[::1]:5433/db").jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5433/db");
        assertThat(PostgresDsn.parse("postgresql://[2001:db8::7]/db").jdbcUrl())
                .isEqualTo("jdbc:postgresql://[2001:db8::7]:5432/db");
        assertThat(PostgresDsn.parse("postgresql://h1:5433,h2,[::1]:5434/db").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5433,h2:5432,[::1]:5434/db");
        assertThat(PostgresDsn.parse("postgresql:///db?host=h1,h2&port=5433").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5433,h2:5433/db");
    }

    @Test
    void parse_queryParametersMapToTheDriversProperties() {
        // FLEET-DSN-2: each libpq parameter under the driver's name and values
        PostgresDsn dsn = PostgresDsn.parse("postgresql://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem"
                + "&sslcert=/etc/c.crt&sslkey=/etc/c.pk8&sslpassword=kp&connect_timeout=10"
                + "&application_name=mtasts%20fleet&target_session_attrs=read-write&load_balance_hosts=random"
                + "&keepalives=1&options=-c%20statement_timeout%3D5000&krbsrvname=pg&gssencmode=disable"
                + "&channel_binding=prefer&client_encoding=UTF8");
        assertThat(dsn.properties())
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", "/etc/ca.pem")
                .containsEntry("sslcert", "/etc/c.crt")
                .containsEntry("sslkey", "/etc/c.pk8")
                .containsEntry("sslpassword", "kp")
                .containsEntry("connectTimeout", "10")
                .containsEntry("ApplicationName", "mtasts fleet")
                .containsEntry("targetServerType", "primary")
                .containsEntry("loadBalanceHosts", "true")
                .containsEntry("tcpKeepAlive", "true")
                .containsEntry("options", "-c statement_timeout=5000")
                .containsEntry("kerberosServerName", "pg")
                .containsEntry("gssEncMode", "disable")
                .containsEntry("channelBinding", "prefer")
                .doesNotContainKey("client_encoding");
        assertThat(PostgresDsn.parse("postgresql://h/db?ssl=true").properties()).containsEntry("sslmode", "require");
        assertThat(PostgresDsn.parse("postgresql://h/db?connect_timeout=0").properties())
                .containsEntry("connectTimeout", "0");
        assertThat(PostgresDsn.parse("postgresql://h/db?connect_timeout=1").properties())
                .containsEntry("connectTimeout", "2");
        assertThat(PostgresDsn.parse("postgresql://h/?database=db&fallback_application_name=x"))
                .isEqualTo(new PostgresDsn("jdbc:postgresql://h:5432/db", Map.of("ApplicationName", "x")));
        assertThat(PostgresDsn.parse("postgresql://h/db?target_session_attrs=prefer-standby")
                        .properties())
                .containsEntry("targetServerType", "preferSecondary");
    }

    @Test
    void parse_keyValueFormWithQuotesAndEscapes() {
        // FLEET-DSN-1: libpq's key=value form; quoted values keep spaces, backslash escapes
        PostgresDsn dsn = PostgresDsn.parse(
                "host=db.example.net port = 6543 dbname='my db' user=mta password='it\\'s a \\\\ secret'"
                        + "  sslmode=require\tapplication_name=x\\ y");
        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.net:6543/my+db");
        assertThat(dsn.properties())
                .isEqualTo(Map.of(
                        "user", "mta",
                        "password", "it's a \\ secret",
                        "sslmode", "require",
                        "ApplicationName", "x y"));
        assertThat(PostgresDsn.parse("host=h1,h2 port=5433,5434 dbname=d").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5433,h2:5434/d");
        assertThat(PostgresDsn.parse("host=::1 dbname=d").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/d");
        assertThat(PostgresDsn.parse("dbname=d password=").properties()).isEmpty();
    }

    @Test
    void parse_badInputNamesThePartAndWhy() {
        // FLEET-DSN-3: a typed exception naming the parameter, never a silent default
        assertBad("", "dsn is empty");
        assertBad("mysql://h/db", "missing '=' after 'mysql://h/db'");
        assertBad("postgresql://h/db?sslmode=bogus", "sslmode: 'bogus' is not one of");
        assertBad("postgresql://h/db?frobnicate=1", "unknown parameter 'frobnicate'");
        assertBad("postgresql://h/db?sslcrl=/x", "parameter 'sslcrl' has no equivalent in the PostgreSQL JDBC driver");
        assertBad("host=h hostaddr=192.0.2.1", "parameter 'hostaddr' has no equivalent");
        assertBad("postgresql://h/db?sslmode", "query parameter 'sslmode' has no '='");
        assertBad("postgresql://h/db?a=b=c", "has a second '='");
        assertBad("postgresql://h:99999/db", "port 99999 is out of range");
        assertBad("postgresql://h:5x/db", "port '5x' is not a number");
        assertBad("postgresql://[::1/db", "missing ']'");
        assertBad("postgresql://[::1]x/db", "expected ':port' after ']'");
        assertBad("postgresql://[]/db", "host '[]' is empty");
        assertBad("postgresql://[12:zz::1]/db", "host '12:zz::1' is not a valid IPv6 address");
        assertBad("postgresql://h%2Fx/db", "is not a host name or IP address");
        assertBad("postgresql://%2Fvar%2Frun%2Fpostgresql/db", "unix-domain socket");
        assertBad("host=/var/run/postgresql", "unix-domain socket");
        assertBad("postgresql://h/d%zzb", "dbname: '%' must be followed by two hexadecimal digits");
        assertBad("postgresql://h/d%00", "dbname: %00 is not allowed");
        assertBad("postgresql://h/d%C3", "dbname: the percent-encoded bytes are not UTF-8");
        assertBad("host=h1,h2,h3 port=1,2", "port: 2 ports do not match 3 hosts");
        assertBad("host='h", "host: the quoted value has no closing quote");
        assertBad("=x", "'=' without a parameter name");
        assertBad("postgresql://h/db?connect_timeout=soon", "connect_timeout: must be a whole number of seconds");
        assertBad("postgresql://h/db?client_encoding=LATIN1", "client_encoding: 'LATIN1' is not supported");
        assertBad("postgresql://h/db?ssl=1", "ssl: only 'true' is allowed");
        assertBad("postgresql://h/db?sslcert=", "sslcert: must not be empty");
        assertBad("postgresql://h/a?database=b", "dbname and database name different databases");
        assertBad("dbname=a database=b", "dbname and database name different databases");
        assertBad("a\0b", "NUL");
    }

    @Test
    void messagesAndToStringNeverHoldThePassword() {
        // FLEET-DSN-4: the password is masked in toString and never quoted in a message
        PostgresDsn dsn = PostgresDsn.parse("postgresql://mta:hunter2@h/db?sslpassword=keypass&sslmode=require");
        assertThat(dsn.toString())
                .isEqualTo("jdbc:postgresql://h:5432/db {password=***, sslmode=require, sslpassword=***, user=mta}")
                .doesNotContain("hunter2")
                .doesNotContain("keypass");
        // a password with an unencoded '/' cuts the authority short: the port error must not quote it
        assertThatThrownBy(() -> PostgresDsn.parse("postgresql://mta:hun/ter2@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hun")
                .hasMessageContaining("port '***' is not a number");
        // an unquoted space in a key=value password: the rest must not be quoted either
        assertThatThrownBy(() -> PostgresDsn.parse("host=h password=hunter two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("two")
                .hasMessageContaining("missing '=' after '***'");
        assertThat(new PostgresDsn("jdbc:postgresql://h:5432/", Map.of()).toString())
                .isEqualTo("jdbc:postgresql://h:5432/");
    }

    @Test
    void toProperties_isAFreshCopy() {
        PostgresDsn dsn = PostgresDsn.parse("postgresql://mta:pw@h/db");
        var p = dsn.toProperties();
        p.setProperty("user", "other");
        assertThat(dsn.toProperties().getProperty("user")).isEqualTo("mta");
        assertThat(p.getProperty("password")).isEqualTo("pw");
        assertThat(PostgresDsn.parse("postgresql://h/db").user()).isEmpty();
    }

    @Test
    void parse_resultConnectsToARealServer() throws Exception {
        // FLEET-DSN-1: what the driver makes of our URL is the database the DSN names, even when
        // its name needs encoding
        assumeTrue(PostgresCluster.shared().isPresent(), "PostgreSQL is not installed");
        PostgresCluster pg = PostgresCluster.shared().orElseThrow();
        String db = pg.createDatabase("dsn");
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + db, pg.user(), "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"dsn test+é " + db + "\"");
        }
        String encoded = java.net.URLEncoder.encode("dsn test+é " + db, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        PostgresDsn[] forms = {
            PostgresDsn.parse("postgresql://" + pg.user() + ":unused@127.0.0.1:" + pg.port() + "/" + encoded
                    + "?application_name=dsn-test&connect_timeout=5"),
            PostgresDsn.parse("host=127.0.0.1 port=" + pg.port() + " user=" + pg.user() + " dbname='dsn test+é " + db
                    + "' application_name=dsn-test")
        };
        for (PostgresDsn dsn : forms) {
            try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.toProperties());
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT current_database(), current_setting('application_name')")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("dsn test+é " + db);
                assertThat(r.getString(2)).isEqualTo("dsn-test");
            }
        }
    }

    private static void assertBad(String dsn, String messagePart) {
        assertThatThrownBy(() -> PostgresDsn.parse(dsn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }
}
