package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ReportSummaryCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String fixtures() {
        return ReportFixtures.source().toString();
    }

    @Test
    void text_directoryOfJsonGzipAndMail_exactTotals() {
        int status = run("report", "summary", fixtures());

        assertThat(status).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(ReportFixtures.lines(out.toString()))
                // RPT-READ-5: the resent Google report counts once
                .contains("TLSRPT summary: 4 reports from 6 files (lenient mode), 1 duplicate dropped")
                .contains("Sessions: 2517, successful 2500, failed 17 (0.68 %)")
                .contains("Days (UTC): 2026-05-01 to 2026-05-02")
                // RPT-READ-6: Microsoft's sts and tlsa entries are the same 505 sessions, counted once
                .containsSubsequence(
                        "By policy domain",
                        "policy-domain sessions successful failed failed %",
                        "example.com 2315 2300 15 0.65",
                        "example.org 202 200 2 0.99")
                .containsSubsequence(
                        "By sending organisation",
                        "organization-name sessions successful failed failed %",
                        "Google Inc. 1810 1800 10 0.55",
                        "Mail.ru 202 200 2 0.99",
                        "Microsoft Corporation 505 500 5 0.99")
                .containsSubsequence(
                        "By day (UTC day of date-range start)",
                        "2026-05-01 1515 1500 15 0.99",
                        "2026-05-02 1002 1000 2 0.20")
                .containsSubsequence(
                        "Failed sessions by result type",
                        "certificate-expired 10",
                        "starttls-not-supported 5",
                        "sts-policy-fetch-error 2")
                // receiving-mx-hostname is case-insensitive: MX2.example.com and mx2.example.com are one host
                .containsSubsequence("Failed sessions by receiving MX", "mx1.example.com 10", "mx2.example.com 5")
                .containsSubsequence("Failed sessions by sending IP", "209.85.1.1 10", "40.1.1.1 5")
                .containsSubsequence("Not TLSRPT reports (1)")
                .noneMatch(l -> l.contains("README.txt"))
                .noneMatch(l -> l.startsWith("Unreadable"));
        assertThat(out.toString()).contains("cron.eml: not a TLS report");
    }

    @Test
    void json_exactTotalsUnderStableNames() throws IOException {
        int status = run("report", "summary", "--json", fixtures());

        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("mode").asText()).isEqualTo("lenient");
        assertThat(json.path("files").path("found").asInt()).isEqualTo(6);
        assertThat(json.path("files").path("unreadable")).isEmpty();
        assertThat(json.path("files").path("not-reports").get(0).path("path").asText())
                .endsWith("cron.eml");
        assertThat(json.path("reports").asInt()).isEqualTo(4);
        assertThat(json.path("duplicates").asInt()).isEqualTo(1);
        assertThat(json.path("missing-counts").asInt()).isZero();
        assertTotals(json.path("totals"), 2517, 2500, 17);
        assertThat(json.path("by-policy-domain").size()).isEqualTo(2);
        assertTotals(json.path("by-policy-domain").path("example.com"), 2315, 2300, 15);
        assertTotals(json.path("by-policy-domain").path("example.org"), 202, 200, 2);
        assertTotals(json.path("by-organization-name").path("Google Inc."), 1810, 1800, 10);
        assertTotals(json.path("by-organization-name").path("Microsoft Corporation"), 505, 500, 5);
        assertTotals(json.path("by-organization-name").path("Mail.ru"), 202, 200, 2);
        assertTotals(json.path("by-day").path("2026-05-01"), 1515, 1500, 15);
        assertTotals(json.path("by-day").path("2026-05-02"), 1002, 1000, 2);
        assertThat(json.path("failures-by-result-type")
                        .path("certificate-expired")
                        .asLong())
                .isEqualTo(10);
        assertThat(json.path("failures-by-result-type")
                        .path("starttls-not-supported")
                        .asLong())
                .isEqualTo(5);
        assertThat(json.path("failures-by-result-type")
                        .path("sts-policy-fetch-error")
                        .asLong())
                .isEqualTo(2);
        assertThat(json.path("failures-by-receiving-mx-hostname")
                        .path("mx1.example.com")
                        .asLong())
                .isEqualTo(10);
        assertThat(json.path("failures-by-receiving-mx-hostname")
                        .path("mx2.example.com")
                        .asLong())
                .isEqualTo(5);
        assertThat(json.path("failures-by-sending-mta-ip").path("209.85.1.1").asLong())
                .isEqualTo(10);
        assertThat(json.path("totals").path("failure-rate").asDouble()).isEqualTo(17.0 / 2517);
        // RW-1: the string mx-host of the 2026-05-02 report was tolerated and is named
        assertThat(json.path("warnings").toString()).contains("MX_HOST_NOT_ARRAY");
    }

    private static void assertTotals(JsonNode node, long sessions, long ok, long failed) {
        assertThat(node.path("sessions").asLong()).as("sessions in %s", node).isEqualTo(sessions);
        assertThat(node.path("successful").asLong())
                .as("successful in %s", node)
                .isEqualTo(ok);
        assertThat(node.path("failed").asLong()).as("failed in %s", node).isEqualTo(failed);
    }

    // RPT-READ-1: strict reading refuses what lenient reading tolerates; the rest is still counted.
    @Test
    void strict_deviationsMakeFilesUnreadable_exitOne() {
        int status = run("report", "summary", "--strict", fixtures());

        assertThat(status).isEqualTo(1);
        assertThat(ReportFixtures.lines(out.toString()))
                .contains("TLSRPT summary: 2 reports from 6 files (strict mode), 1 duplicate dropped")
                .contains("Sessions: 1515, successful 1500, failed 15 (0.99 %)");
        assertThat(out.toString())
                .contains("google-2026-05-02.json: MX_HOST_NOT_ARRAY at /policies/0/policy/mx-host")
                // RPT-READ-2: this tool cannot verify DKIM, so strict reading refuses every e-mail
                .contains("mailru-2026-05-02.eml: UNSIGNED");
    }

    @Test
    void unreadableFiles_areListedWithWhy_theOthersStillCount(@TempDir Path dir) throws IOException {
        Path reports = ReportFixtures.copy(dir.resolve("reports"));
        Files.writeString(reports.resolve("broken.json"), "{\"organization-name\": ");
        Files.write(reports.resolve("not-gzip.json.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        Path missing = dir.resolve("missing.json");

        int status = run("report", "summary", reports.toString(), missing.toString());

        assertThat(status).isEqualTo(1);
        assertThat(ReportFixtures.lines(out.toString()))
                .contains("TLSRPT summary: 4 reports from 9 files (lenient mode), 1 duplicate dropped")
                .contains("Sessions: 2517, successful 2500, failed 17 (0.68 %)")
                .contains("Unreadable files (3)")
                .contains(missing + ": no such file");
        assertThat(out.toString())
                .contains(reports.resolve("broken.json") + ": ")
                .contains("not-gzip.json.gz: ");
    }

    @Test
    void unreadableFiles_inJson(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[]");

        int status = run("report", "summary", "--json", broken.toString());

        assertThat(status).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("reports").asInt()).isZero();
        assertThat(json.path("files").path("unreadable").get(0).path("path").asText())
                .isEqualTo(broken.toString());
        assertThat(json.path("files").path("unreadable").get(0).path("reason").asText())
                .isNotBlank();
    }

    @Test
    void filesNamedOnTheCommandLine_gzipMailAndAMaildirFile(@TempDir Path dir) throws IOException {
        Path fixtures = ReportFixtures.source();
        // A maildir file has no extension: its content says it is a mail.
        Path maildirFile = dir.resolve("1777766400.M1P2.host:2,S");
        Files.copy(fixtures.resolve("mail/mailru-2026-05-02.eml"), maildirFile);

        int status = run(
                "report",
                "summary",
                fixtures.resolve("ms/microsoft-2026-05-01.json.gz").toString(),
                maildirFile.toString());

        assertThat(status).isZero();
        assertThat(ReportFixtures.lines(out.toString()))
                .contains("TLSRPT summary: 2 reports from 2 files (lenient mode), 0 duplicates dropped")
                .contains("example.com 505 500 5 0.99")
                .contains("example.org 202 200 2 0.99");
    }

    @Test
    void maildir_messagesInCurAndNewAreRead(@TempDir Path dir) throws IOException {
        Path fixtures = ReportFixtures.source();
        Files.createDirectories(dir.resolve("cur"));
        Files.createDirectories(dir.resolve("new"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.copy(fixtures.resolve("mail/mailru-2026-05-02.eml"), dir.resolve("cur/1777766400.M1P2.host:2,S"));
        Files.copy(fixtures.resolve("mail/cron.eml"), dir.resolve("new/1777766500.M1P3.host"));
        // tmp/ holds messages still being delivered, and other extension-less files are no reports.
        Files.copy(fixtures.resolve("mail/mailru-2026-05-02.eml"), dir.resolve("tmp/1777766600.M1P4.host"));
        Files.writeString(dir.resolve("maildirfolder"), "");

        assertThat(run("report", "summary", dir.toString())).isZero();
        assertThat(ReportFixtures.lines(out.toString()))
                .contains("TLSRPT summary: 1 report from 2 files (lenient mode), 0 duplicates dropped")
                .contains("example.org 202 200 2 0.99")
                .contains("Not TLSRPT reports (1)");
    }

    @Test
    void emptyDirectory_saysNoReports(@TempDir Path dir) {
        assertThat(run("report", "summary", dir.toString())).isZero();
        assertThat(out.toString()).contains("0 reports from 0 files").contains("No TLSRPT reports found.");
    }

    @Test
    void text_controlCharactersFromReportsAreNeutralised(@TempDir Path dir) throws IOException {
        // RPT-READ-4: reports are untrusted; an escape sequence must not reach the terminal
        Files.writeString(
                dir.resolve("r.json"),
                ReportFixtures.report("Evil\u001b[2J Org", "r1", "2026-05-03", "example.net", 5, 1, "mx.example.net"));

        assertThat(run("report", "summary", dir.toString())).isZero();
        assertThat(out.toString()).doesNotContain("\u001b").contains("Evil\uFFFD[2J Org");
    }

    @Test
    void html_writesThePage_andSaysSoOnStdout(@TempDir Path dir) throws IOException {
        Path page = dir.resolve("summary.html");

        int status = run("report", "summary", "--html", page.toString(), fixtures());

        assertThat(status).isZero();
        assertThat(out.toString()).contains("Wrote " + page + ": 4 reports, 0 unreadable files");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<svg class=\"chart\" id=\"sessions-per-day\"")
                .contains("<svg class=\"chart\" id=\"failures-per-day\"")
                .contains("<svg class=\"chart\" id=\"failure-rate-by-domain\"")
                .contains("<svg class=\"chart\" id=\"failures-by-result-type\"")
                .contains("<svg class=\"chart\" id=\"failures-by-organization\"")
                .contains("<table id=\"totals-by-domain\"")
                .contains("<span class=\"value\">2,517</span>")
                .contains("<td>example.com</td><td class=\"n\">2,315</td><td class=\"n\">2,300</td>")
                .contains("2026-05-01: 1,515 sessions, 1,500 successful, 15 failed")
                .contains("<td>Microsoft Corporation</td><td class=\"n\">505</td>")
                // self-contained: nothing is loaded from elsewhere, and no script can run
                .doesNotContain("<script")
                .doesNotContain("src=")
                .doesNotContain("href=")
                .doesNotContain("@import")
                .doesNotContain("url(")
                .contains("Content-Security-Policy\" content=\"default-src 'none';");
    }

    // RPT-READ-4: organisation and MX names come from whoever sends a report.
    @Test
    void html_escapesEveryStringFromReports(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("evil.json"),
                ReportFixtures.report(
                        "<script>document.title='pwned'</script>",
                        "<b>id</b>",
                        "2026-05-03",
                        "example.net",
                        5,
                        3,
                        "\"><img src=x onerror=alert(1)>.example.net"));
        Path page = dir.resolve("page.html");

        assertThat(run("report", "summary", "--html", page.toString(), dir.toString()))
                .isZero();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html)
                .doesNotContain("<script")
                .doesNotContain("<img")
                .doesNotContain("<b>id")
                .contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;")
                .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void html_listsUnreadableFiles_escaped(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("<i>broken.json");
        Files.writeString(broken, "not json");
        Path page = dir.resolve("page.html");

        assertThat(run("report", "summary", "--html", page.toString(), dir.toString()))
                .isEqualTo(1);
        assertThat(out.toString()).contains("Wrote " + page + ": 0 reports, 1 unreadable files");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html)
                .contains("No TLS reports were found.")
                .contains("<section class=\"card wide\" id=\"unreadable\"><h2>Unreadable files (1)</h2>")
                .contains("&lt;i&gt;broken.json</code>: ")
                .doesNotContain("<i>");
    }

    @Test
    void escape_coversMarkupQuotesAndControls() {
        assertThat(HtmlReportPage.escape("a&b<c>d\"e'f\u0000g\u0007h\ti"))
                .isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;f\uFFFDg\uFFFDh\ti");
    }

    @Test
    void html_cannotWrite_isALocalFault(@TempDir Path dir) {
        Path page = dir.resolve("no-such-dir/page.html");

        assertThat(run("report", "summary", "--html", page.toString(), fixtures()))
                .isEqualTo(3);
        assertThat(err.toString()).contains("cannot write " + page);
    }

    @Test
    void usage_missingPathOrTwoFormats_exitThree() {
        assertThat(run("report")).isEqualTo(3);
        assertThat(err.toString()).contains("Missing required subcommand");
        assertThat(run("report", "summary")).isEqualTo(3);
        assertThat(run("report", "summary", "--json", "--html", "x.html", fixtures()))
                .isEqualTo(3);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void progress_alwaysDrawsOnStderr_neverDoesNot() {
        assertThat(run("report", "summary", "--progress=never", fixtures())).isZero();
        assertThat(err.toString()).isEmpty();

        assertThat(run("report", "summary", "--progress=always", fixtures())).isZero();
        assertThat(err.toString()).contains("\r[" + "#".repeat(30) + "] 6/6").endsWith("\r");
        assertThat(out.toString()).doesNotContain("\r[");
    }

    @Test
    void progress_default_isSilentWhenNotATerminal_evenForManyFiles(@TempDir Path dir) throws IOException {
        // Tests run without a terminal: the automatic bar stays off above the file threshold too.
        int files = ProgressBar.THRESHOLD + 1;
        for (int i = 0; i < files; i++) {
            Files.writeString(
                    dir.resolve("r" + i + ".json"),
                    ReportFixtures.report("Org", "id-" + i, "2026-05-04", "example.net", 1, 1, "mx.example.net"));
        }

        assertThat(run("report", "summary", dir.toString())).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(ReportFixtures.lines(out.toString()))
                .contains("TLSRPT summary: " + files + " reports from " + files
                        + " files (lenient mode), 0 duplicates dropped");

        assertThat(run("report", "summary", "--progress=always", dir.toString()))
                .isZero();
        // Redrawn when the bar or the percentage changes, not for every file.
        assertThat(err.toString()).contains("] 1/" + files).contains("] " + files + "/" + files);
    }

    @Test
    void progressBar_render() {
        assertThat(ProgressBar.render(512, 1024)).isEqualTo("[" + "#".repeat(15) + " ".repeat(15) + "] 512/1024");
        assertThat(ProgressBar.render(0, 10)).isEqualTo("[" + " ".repeat(30) + "] 0/10");
    }

    @Test
    void timeColumns_monthsWhenTooManyDays() {
        java.util.Map<java.time.LocalDate, dev.mtasts.tlsrpt.ReportsOverview.Totals> days = new java.util.TreeMap<>();
        java.time.LocalDate start = java.time.LocalDate.of(2026, 1, 1);
        for (int i = 0; i < 100; i++) {
            days.put(start.plusDays(i), new dev.mtasts.tlsrpt.ReportsOverview.Totals(10, 1));
        }
        var columns = HtmlReportPage.timeColumns(days);
        assertThat(columns)
                .extracting(HtmlCharts.Column::label)
                .containsExactly("2026-01", "2026-02", "2026-03", "2026-04");
        assertThat(columns.get(0).ok()).isEqualTo(310);
        assertThat(columns.get(1).failed()).isEqualTo(28);
    }
}
