package dev.mtasts.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The report fixtures under {@code src/test/resources/report-summary} and their exact totals.
 *
 * <p>Four reports in six files: Google's {@code .json} (example.com, 2026-05-01, 1000 ok, 10
 * certificate-expired at mx1 from 209.85.1.1) and the same report sent again; Google's next day
 * (example.com, 800 ok, {@code mx-host} as a string: lenient only); Microsoft's {@code .json.gz}
 * (example.com, 2026-05-01, the same 500 ok / 5 starttls-not-supported at mx2 listed under
 * {@code sts} and {@code tlsa}); Mail.ru's {@code .eml} (example.org, 2026-05-02, 200 ok, 2
 * sts-policy-fetch-error without MX or IP); and an e-mail that is not a report.
 */
final class ReportFixtures {
    private ReportFixtures() {}

    /** A copy of the fixture directory in {@code dir}, so a test can add files. */
    static Path copy(Path dir) {
        Path source = source();
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static Path source() {
        try {
            Path readme = Path.of(Objects.requireNonNull(ReportFixtures.class.getResource("/report-summary/README.txt"))
                    .toURI());
            return Objects.requireNonNull(readme.getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A one-policy report as JSON, for tests that need their own organisation or MX names. */
    static String report(String org, String reportId, String day, String domain, long ok, long failed, String mx) {
        return """
                {"organization-name": %s,
                 "date-range": {"start-datetime": "%sT00:00:00Z", "end-datetime": "%sT23:59:59Z"},
                 "contact-info": "tlsrpt@example.net",
                 "report-id": "%s",
                 "policies": [{
                   "policy": {"policy-type": "sts",
                              "policy-string": ["version: STSv1", "mode: enforce", "mx: *.%s", "max_age: 604800"],
                              "policy-domain": "%s", "mx-host": ["*.%s"]},
                   "summary": {"total-successful-session-count": %d, "total-failure-session-count": %d},
                   "failure-details": [{"result-type": "validation-failure", "sending-mta-ip": "192.0.2.7",
                                        "receiving-mx-hostname": %s, "failed-session-count": %d}]
                 }]}
                """.formatted(json(org), day, day, reportId, domain, domain, domain, ok, failed, json(mx), failed);
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Lines with runs of blanks collapsed, so that assertions do not depend on column widths. */
    static List<String> lines(String text) {
        return text.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
    }
}
