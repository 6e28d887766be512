package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

final class PostgresDsnPropertiesTest {

    /** Pieces of both DSN forms, so generated text often gets deep into the parser. */
    private static final List<String> PIECES = List.of(
            "postgresql://",
            "postgres://",
            "user",
            "password",
            ":",
            "@",
            "/",
            "?",
            "&",
            "=",
            ",",
            "[",
            "]",
            "::1",
            "2001:db8::7",
            "127.0.0.1",
            "db.example.net",
            "5432",
            "99999",
            "%",
            "%2F",
            "%40",
            "%00",
            "%C3",
            "%C3%A9",
            "%zz",
            "+",
            " ",
            "\t",
            "'",
            "\\",
            "host",
            "port",
            "dbname",
            "database",
            "sslmode",
            "require",
            "verify-full",
            "ssl",
            "true",
            "connect_timeout",
            "-5",
            "application_name",
            "target_session_attrs",
            "read-write",
            "client_encoding",
            "hostaddr",
            "keepalives",
            "1",
            "\0",
            "é",
            "\uD83D\uDE00",
            "\uD800");

    @Test
    void parse_anyTextOnlyEverThrowsIllegalArgumentException() {
        // FLEET-DSN-3: whatever the configuration holds, parsing answers or says why
        Gen<String> pieced =
                lists().of(Generate.pick(PIECES)).ofSizeBetween(0, 14).map(parts -> String.join("", parts));
        Gen<String> random = strings().allPossible().ofLengthBetween(0, 40);
        Gen<String> text = pieced.mix(random, 30);
        qt().withExamples(4000).forAll(text).checkAssert(PostgresDsnPropertiesTest::parsesOrSaysWhy);
    }

    @Test
    void parse_wellFormedUrisAlwaysGiveTheirParts() {
        // FLEET-DSN-1: any host, port and database name come back out of the JDBC URL
        qt().withExamples(500)
                .forAll(
                        integers().between(1, 65535),
                        strings().allPossible().ofLengthBetween(1, 20),
                        strings().basicLatinAlphabet().ofLengthBetween(1, 12))
                .checkAssert((port, db, password) -> {
                    String encodedDb = java.net.URLEncoder.encode(db, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20");
                    String encodedPw = java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20");
                    boolean decodable = db.codePoints().allMatch(c -> c != 0 && !(c >= 0xD800 && c <= 0xDFFF));
                    if (!decodable) {
                        return;
                    }
                    PostgresDsn dsn =
                            PostgresDsn.parse("postgresql://u:" + encodedPw + "@h.example:" + port + "/" + encodedDb);
                    assertThat(dsn.jdbcUrl())
                            .isEqualTo("jdbc:postgresql://h.example:" + port + "/"
                                    + java.net.URLEncoder.encode(db, java.nio.charset.StandardCharsets.UTF_8));
                    assertThat(dsn.properties()).containsEntry("password", password);
                    assertThat(dsn.toString()).doesNotContain(":" + password + "@");
                });
    }

    private static void parsesOrSaysWhy(String dsn) {
        try {
            PostgresDsn parsed = PostgresDsn.parse(dsn);
            assertThat(parsed.jdbcUrl()).startsWith("jdbc:postgresql://");
            assertThat(parsed.toString()).isNotNull();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
