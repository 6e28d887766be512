package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mtasts lint}: the sender's strict parsers, line-precise, with the checker's IDs. */
final class LintCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int lint(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return Main.run(new String[] {"lint", file.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    // RFC 8461 §3.2 example policy: valid, the mode reported as information.
    @Test
    void validPolicy_exit0() throws IOException {
        int status = lint(
                "mta-sts.txt",
                "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n");

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains(file("mta-sts.txt") + ":2: sts.policy.mode: info: Mode enforce: senders deliver only")
                .contains(file("mta-sts.txt") + ": MTA-STS policy: valid, 0 errors, 0 warnings");
    }

    // RFC 8461 §3.2: the mode names are case-exact; the line is given.
    @Test
    void badMode_exit2_withLine() throws IOException {
        int status = lint("p.txt", "version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 604800\n");

        assertThat(status).isEqualTo(2);
        assertThat(out.toString())
                .contains(file("p.txt")
                        + ":2: sts.policy.mode: error: mode 'Enforce' is invalid: mode values are case-exact")
                .contains("[RFC 8461 §3.2, §5]")
                .contains("MTA-STS policy: INVALID, 1 error");
    }

    // RFC 8461 §3.2: whitespace before ':' breaks the grammar.
    @Test
    void syntaxError_line() throws IOException {
        assertThat(lint("p.txt", "version: STSv1\nmode : enforce\nmx: a.example\nmax_age: 604800\n"))
                .isEqualTo(2);
        assertThat(out.toString()).contains(file("p.txt") + ":2: sts.policy.");
    }

    // RFC 8461 §3.2, §10.2: a short max_age in enforce, and a repeated field: warnings only.
    @Test
    void warnings_exit1() throws IOException {
        int status =
                lint("p.txt", "version: STSv1\nmode: enforce\nmode: testing\nmx: mx.example.com\nmax_age: 86400\n");

        assertThat(status).isEqualTo(1);
        assertThat(out.toString())
                .contains(file("p.txt") + ":3: sts.policy.dup-key: warning:")
                .contains(file("p.txt") + ":5: sts.policy.max_age: warning: max_age 86400 is under a week in enforce");
    }

    // RFC 8461 §3.2: above 31557600 we cap it, other senders reject the policy: an error.
    @Test
    void maxAgeAboveLimit_error() throws IOException {
        assertThat(lint("p.txt", "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 99999999\n"))
                .isEqualTo(2);
        assertThat(out.toString()).contains(file("p.txt") + ":4: sts.policy.max_age: error:");
    }

    // RFC 8461 §3.2: unknown fields are ignored by senders: information, never an error.
    @Test
    void extensionField_info() throws IOException {
        assertThat(lint("p.txt", "version: STSv1\nmode: none\nmax_age: 604800\nnote: hello\n"))
                .isZero();
        assertThat(out.toString())
                .contains(file("p.txt") + ":4: sts.policy.unknown-key: info: unknown field 'note'; senders ignore it");
    }

    // RFC 8461 §3.2: LF alone is valid; only a mix is noted, as information.
    @Test
    void mixedLineEndings_info() throws IOException {
        assertThat(lint("p.txt", "version: STSv1\r\nmode: none\nmax_age: 604800\n"))
                .isZero();
        assertThat(out.toString()).contains("sts.policy.line-endings: info:");
        out.getBuffer().setLength(0);
        assertThat(lint("q.txt", "version: STSv1\nmode: none\nmax_age: 604800\n"))
                .isZero();
        assertThat(out.toString()).doesNotContain("line-endings");
    }

    // RFC 8461 §3.2: a byte order mark makes senders refuse the body: the checker's sts.http.encoding.
    @Test
    void byteOrderMark_error() throws IOException {
        assertThat(lint("p.txt", "\uFEFFversion: STSv1\nmode: none\nmax_age: 604800\n"))
                .isEqualTo(2);
        assertThat(out.toString())
                .contains(file("p.txt") + ": sts.http.encoding: error: The policy body starts with a byte order mark")
                .contains("MTA-STS policy: INVALID, 1 error");
    }

    // RFC 8461 §3.2, CHK-API-4: after the error a sender stops at, the rest is read leniently, and says so.
    @Test
    void afterAnError_lenientFindingsMarked() throws IOException {
        assertThat(lint("p.txt", "version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 60\n"))
                .isEqualTo(2);
        assertThat(out.toString())
                .contains(file("p.txt") + ":4: sts.policy.max_age: warning: max_age 60 is under a day")
                .contains("(lenient re-reading)");
    }

    // STS-TXT-4, RFC 8461 §3.1: the column of the error.
    @Test
    void stsRecord_badId_column() throws IOException {
        assertThat(lint("txt", "v=STSv1; id=2016-08-31\n")).isEqualTo(2);
        assertThat(out.toString())
                .contains(
                        file("txt") + ":17: sts.txt.syntax: error: the TXT record at _mta-sts, column 17 (field 'id')")
                .contains("_mta-sts record: INVALID");
    }

    // RFC 8461 §3.1 example record, in zone-file quotes split into two strings.
    @Test
    void stsRecord_quotedStrings_valid() throws IOException {
        assertThat(lint("txt", "\"v=STSv1; \" \"id=20160831085700Z;\"\n")).isZero();
        assertThat(out.toString()).contains("_mta-sts record: valid");
    }

    // RFC 8461 §3.1: `v=STSv1` is case-exact.
    @Test
    void stsRecord_wrongCase_error() throws IOException {
        assertThat(lint("txt", "V=STSv1; id=1")).isEqualTo(2);
        assertThat(out.toString()).contains("sts.txt.syntax: error:");
    }

    // RFC 8460 §3 example.
    @Test
    void tlsRptRecord_valid() throws IOException {
        assertThat(lint("rpt", "v=TLSRPTv1;rua=mailto:reports@example.com")).isZero();
        assertThat(out.toString()).contains("_smtp._tls record: valid, 0 errors, 0 warnings");
    }

    // RFC 8460 §3: a rua neither mailto: nor https: is ignored; none left is an error.
    @Test
    void tlsRptRecord_noUsableRua() throws IOException {
        assertThat(lint("rpt", "v=TLSRPTv1; rua=ftp://example.com/r")).isEqualTo(2);
        assertThat(out.toString())
                .contains("rpt.rua.scheme: warning: rua ftp://example.com/r at _smtp._tls uses the scheme 'ftp'")
                .contains("rpt.rua.scheme: error: no rua at _smtp._tls is a mailto: or https: URI");
    }

    // RFC 8460 §3: a raw '!' in a rua breaks the record.
    @Test
    void tlsRptRecord_syntax() throws IOException {
        assertThat(lint("rpt", "v=TLSRPTv1;rua=mailto:a@example.com!10m")).isEqualTo(2);
        assertThat(out.toString()).contains("rpt.txt.syntax: error:");
    }

    @Test
    void unreadable_exit3() {
        int status = Main.run(
                new String[] {"lint", file("absent.txt")}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(status).isEqualTo(3);
        assertThat(err.toString()).contains("cannot read").contains("absent.txt");
    }

    @Test
    void noFile_usage_exit3() {
        assertThat(Main.run(new String[] {"lint"}, new PrintWriter(out, true), new PrintWriter(err, true)))
                .isEqualTo(3);
    }

    @Test
    void recordText_joinsQuotedStrings() {
        assertThat(LintCommand.recordText("  \"a\" \"b\\\"c\"\n")).isEqualTo("ab\"c");
        assertThat(LintCommand.recordText("v=STSv1; id=1\n")).isEqualTo("v=STSv1; id=1");
    }

    // The older explain commands are hidden from the command list, and still work.
    @Test
    void olderCommands_hiddenButWorking() {
        assertThat(Main.run(new String[] {"--help"}, new PrintWriter(out, true), new PrintWriter(err, true)))
                .isZero();
        assertThat(out.toString())
                .contains("  lint ")
                .doesNotContain("  policy ")
                .doesNotContain("  txt ");
        assertThat(Main.run(
                        new String[] {"txt", "v=STSv1; id=1;"}, new PrintWriter(out, true), new PrintWriter(err, true)))
                .isZero();
        assertThat(out.toString()).contains("_mta-sts: one valid record");
    }
}
