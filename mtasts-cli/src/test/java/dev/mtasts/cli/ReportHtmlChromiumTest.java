package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --html} page in a real browser: Chromium renders it headless, and the DOM it built
 * (not our own string) must hold the charts and the numbers, and no injected script. Skipped when
 * Chromium is not installed ({@code -Dchromium=PATH} names another binary).
 */
final class ReportHtmlChromiumTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final String EVIL_ORG = "<script>document.title='pwned'</script>";

    @TempDir
    Path dir;

    private Path page;

    @BeforeEach
    void page() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM),
                "Chromium not found at " + CHROMIUM + ": the headless rendering test is skipped"
                        + " (install Debian's chromium, or pass -Dchromium=PATH)");
        Path reports = ReportFixtures.copy(dir.resolve("reports"));
        Files.writeString(
                reports.resolve("evil.json"),
                ReportFixtures.report(EVIL_ORG, "evil-1", "2026-05-02", "example.net", 40, 3, "mx.example.net"));
        page = dir.resolve("summary.html");
        StringWriter out = new StringWriter();
        int status = Main.run(
                new String[] {"report", "summary", "--html", page.toString(), reports.toString()},
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(status).as(out.toString()).isZero();
    }

    @Test
    void renderedDom_holdsTheChartsAndNumbers_andNoInjectedScript() throws Exception {
        String dom = chromium("--dump-dom", page.toUri().toString());

        // The title a script in the organisation name would have changed.
        assertThat(dom).contains("<title>TLS report summary</title>").doesNotContain("pwned</title>");
        assertThat(dom).doesNotContain("<script");
        // The name is shown as text.
        assertThat(dom).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
        for (String chart : List.of(
                "sessions-per-day",
                "failures-per-day",
                "failure-rate-by-domain",
                "failures-by-result-type",
                "failures-by-organization",
                "failures-by-mx")) {
            assertThat(dom).contains("id=\"" + chart + "\"");
        }
        // Fixtures plus the 43 sessions of evil.json: 2,560 in all, 20 failed.
        assertThat(dom)
                .contains("<span class=\"value\">2,560</span>")
                .contains("<span class=\"value\">20</span>")
                .contains("<td>example.com</td><td class=\"n\">2,315</td>");
        // Two days, each a column of green and red in the first chart.
        String daily = svg(dom, "sessions-per-day");
        assertThat(count(daily, "<rect class=\"ok\"")).isEqualTo(2);
        assertThat(count(daily, "<rect class=\"failed\"")).isEqualTo(2);
        assertThat(daily).contains("2026-05-02: 1,045 sessions, 1,040 successful, 5 failed");
        // One bar per result type with a failure.
        assertThat(count(svg(dom, "failures-by-result-type"), "<rect class=\"value\""))
                .isEqualTo(4);
    }

    // Shows that the check above can fail: in this browser a script that runs does change the title.
    @Test
    void control_aScriptThatRunsChangesTheTitle() throws Exception {
        Path control = dir.resolve("control.html");
        Files.writeString(
                control,
                "<!DOCTYPE html><html><head><title>before</title></head><body>"
                        + "<script>document.title='pwned'</script></body></html>");

        assertThat(chromium("--dump-dom", control.toUri().toString())).contains("<title>pwned</title>");
    }

    @Test
    void screenshot_isAPngOfTheWindowSize() throws Exception {
        Path png = dir.resolve("summary.png");

        chromium("--screenshot=" + png, "--window-size=1280,1600", page.toUri().toString());

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
        assertThat(ihdr.getInt()).isEqualTo(1280);
        assertThat(ihdr.getInt()).isEqualTo(1600);
    }

    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile")));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("chromium.out");
        Process p = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(dir.resolve("chromium.err").toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + command);
        }
        assertThat(p.exitValue())
                .as("chromium exit status; stderr: %s", Files.readString(dir.resolve("chromium.err")))
                .isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String svg(String dom, String id) {
        Matcher m = Pattern.compile("<svg[^>]*id=\"" + id + "\".*?</svg>", Pattern.DOTALL)
                .matcher(dom);
        assertThat(m.find()).as("svg #%s in the DOM", id).isTrue();
        return m.group();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
