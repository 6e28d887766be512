package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ReadReportsCommandTest {
    /** RFC 8460 Appendix B, with mx-host as the array erratum 6241 asks for. */
    private static final String REPORT = """
            {"organization-name": "Company-X",
             "date-range": {"start-datetime": "2016-04-01T00:00:00Z", "end-datetime": "2016-04-01T23:59:59Z"},
             "contact-info": "sts-reporting@company-x.example",
             "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
             "policies": [{
               "policy": {"policy-type": "sts",
                          "policy-string": ["version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"],
                          "policy-domain": "company-y.example",
                          "mx-host": ["*.mail.company-y.example"]},
               "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 100},
               "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "2001:db8:abcd:0012::1",
                                    "receiving-mx-hostname": "mx1.mail.company-y.example", "failed-session-count": 100}]
             }]}
            """;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void tlsrpt_readsJsonAndGzipInADirectory_andSummarises(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.json"), REPORT);
        Files.write(dir.resolve("b.json.gz"), gzip(REPORT.replace("5065427c", "0000000c")));
        Files.writeString(dir.resolve("README.txt"), "not a report, not read");

        int status = run("tlsrpt", "--summary", dir.toString());

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains("OK     " + dir.resolve("a.json") + ": Company-X, report-id 5065427c")
                .contains("b.json.gz: Company-X, report-id 0000000c")
                .doesNotContain("README.txt")
                .contains("2 read, 0 not reports, 0 errors (lenient mode)")
                .contains("company-y.example")
                .contains("certificate-expired");
    }

    @Test
    void tlsrpt_lenientToleratesWhatStrictRefuses(@TempDir Path dir) throws IOException {
        // RW-1 / RPT-READ-1: mx-host as a string is a warning in lenient mode, an error in strict mode
        Path file = dir.resolve("string-mx-host.json");
        Files.writeString(
                file,
                REPORT.replace(
                        "\"mx-host\": [\"*.mail.company-y.example\"]", "\"mx-host\": \"*.mail.company-y.example\""));

        assertThat(run("tlsrpt", "--verbose", file.toString())).isZero();
        assertThat(out.toString()).contains("1 warning").contains("/policies/0/policy/mx-host");

        assertThat(run("tlsrpt", "--strict", file.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("ERROR  " + file).contains("(strict mode)");
    }

    @Test
    void tlsrpt_brokenAndMissingFilesAreErrors(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"organization-name\": ");
        assertThat(run("tlsrpt", broken.toString(), dir.resolve("missing.json").toString()))
                .isEqualTo(1);
        assertThat(out.toString())
                .contains("ERROR  " + broken)
                .contains("missing.json: cannot read")
                .contains("0 read, 0 not reports, 2 errors");
    }

    @Test
    void tlsrpt_mailThatIsNotAReportIsSkipped(@TempDir Path dir) throws IOException {
        Path mail = dir.resolve("cron.eml");
        Files.writeString(
                mail,
                "From: cron@example.com\r\nTo: root@example.com\r\nSubject: daily job\r\n"
                        + "Content-Type: text/plain\r\n\r\nall done\r\n");
        assertThat(run("tlsrpt", mail.toString())).isZero();
        assertThat(out.toString()).contains("SKIP   " + mail).contains("0 read, 1 not reports, 0 errors");
    }
}
