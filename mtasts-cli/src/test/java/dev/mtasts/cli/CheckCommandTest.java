package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.PolicyResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mtasts check} in-process against a loopback world (CHK-CLI-1, CHK-CLI-2). */
final class CheckCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MultiAddressWorld world;
    private static Path caFile;

    @TempDir
    static Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void world() throws IOException {
        world = MultiAddressWorld.start();
        world.healthy("good.test");
        // Served as text/html: validating senders drop the policy (RFC 8461 §3.2).
        world.healthy("html.test")
                .respond(
                        "html.test",
                        PolicyResponse.builder()
                                .contentType("text/html")
                                .body("version: STSv1\nmode: enforce\nmx: mx.html.test\nmax_age: 604800\n")
                                .build());
        // A healthy domain that publishes no _smtp._tls record: warnings only (cross.no-tlsrpt).
        world.healthy("quiet.test");
        world.dns().remove("_smtp._tls.quiet.test");
        // No MTA-STS at all: a definite "no", not a failure.
        world.dns().a("plain.test", "192.0.2.1");
        caFile = WorldOptions.writeCa(world, dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private int check(String... args) {
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(WorldOptions.of(world, caFile));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static List<String> ids(JsonNode domain, String severity) {
        List<String> ids = new ArrayList<>();
        domain.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals(severity)) {
                ids.add(f.get("id").asText());
            }
        });
        return ids;
    }

    // CHK-CLI-2: a healthy domain exits 0; CHK-CLI-1: text grouped in sections with a verdict.
    @Test
    void healthyDomain_exit0_textInSections() {
        int status = check("good.test", "--color=never");

        assertThat(status).as(out.toString()).isZero();
        String text = out.toString();
        assertThat(text)
                .contains("== good.test")
                .contains("MTA-STS record")
                .contains("_mta-sts.good.test  1 TXT record")
                .contains("\"v=STSv1; id=" + MultiAddressWorld.HEALTHY_ID + ";\"")
                .contains("Policy host")
                .contains("HTTP 200")
                .contains("  1 | version: STSv1")
                .contains("MX hosts")
                .contains("10 mx.good.test  covered by 'mx.good.test'")
                .contains("STARTTLS ok")
                .contains("TLSRPT record")
                .contains("rua mailto:tlsrpt@reports.good.test")
                .contains("[I] sts.policy.mode")
                .contains("Verdict good.test: PASS, no errors or warnings (exit 0)")
                .doesNotContain("\u001b[");
        assertThat(text.indexOf("MTA-STS record")).isLessThan(text.indexOf("Policy host"));
        assertThat(text.indexOf("Policy host")).isLessThan(text.indexOf("MX hosts"));
        assertThat(text.indexOf("MX hosts")).isLessThan(text.indexOf("TLSRPT record"));
        assertThat(err.toString()).isEmpty();
    }

    // CHK-CLI-1: the JSON document's stable fields.
    @Test
    void healthyDomain_jsonShape() throws IOException {
        int status = check("good.test", "--json");

        assertThat(status).isZero();
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.isObject()).isTrue();
        assertThat(doc.get("domain").asText()).isEqualTo("good.test");
        assertThat(doc.get("verdict").asText()).isEqualTo("pass");
        assertThat(doc.get("exitCode").asInt()).isZero();
        assertThat(doc.get("startedAt").asText()).endsWith("Z");
        assertThat(doc.get("elapsedMs").isIntegralNumber()).isTrue();
        JsonNode mode = null;
        for (JsonNode f : doc.get("findings")) {
            assertThat(f.get("severity").asText()).isIn("E", "W", "I");
            assertThat(f.has("rfc")).isTrue();
            assertThat(f.get("evidence").isArray()).isTrue();
            assertThat(f.get("lenient").isBoolean()).isTrue();
            if (f.get("id").asText().equals("sts.policy.mode")) {
                mode = f;
            }
        }
        assertThat(mode).isNotNull();
        assertThat(ids(doc, "E")).isEmpty();
        assertThat(ids(doc, "W")).isEmpty();
        assertThat(doc.get("stsTxt").get("status").asText()).isEqualTo("FOUND");
        assertThat(doc.get("stsRecord").get("id").asText()).isEqualTo(MultiAddressWorld.HEALTHY_ID);
        JsonNode host = doc.get("policyHost").get(0);
        assertThat(host.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(host.get("certificate").get("dnsNames").toString()).contains("mta-sts.good.test");
        JsonNode policy = doc.get("policy");
        assertThat(policy.get("mode").asText()).isEqualTo("enforce");
        assertThat(policy.get("maxAge").asLong()).isEqualTo(604800);
        assertThat(policy.get("mx").get(0).asText()).isEqualTo("mx.good.test");
        assertThat(policy.get("lines").get(0).asText()).isEqualTo("version: STSv1");
        JsonNode mx = doc.get("mx").get(0);
        assertThat(mx.get("host").asText()).isEqualTo("mx.good.test");
        assertThat(mx.get("preference").asInt()).isEqualTo(10);
        JsonNode address = mx.get("addresses").get(0);
        assertThat(address.get("probe").asText()).isEqualTo("TLS_OK");
        assertThat(address.get("tlsVersion").asText()).startsWith("TLSv1.");
        assertThat(address.get("nameMatches").asBoolean()).isTrue();
        assertThat(address.get("certificate").get("notAfter").asText()).endsWith("Z");
        assertThat(address.get("error").isNull()).isTrue();
        assertThat(doc.get("tlsRpt").get("rua").get(0).asText()).isEqualTo("mailto:tlsrpt@reports.good.test");
    }

    // CHK-CLI-2, RFC 8461 §3.2: a policy served as text/html is an error: exit 2.
    @Test
    void brokenDomain_exit2() throws IOException {
        int status = check("html.test", "--json", "--no-smtp");

        assertThat(status).isEqualTo(2);
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.get("verdict").asText()).isEqualTo("errors");
        assertThat(ids(doc, "E")).contains("sts.http.ctype");
    }

    // CHK-CLI-2: warnings only exit 1 (RFC 8460: no TLSRPT record while enforcing).
    @Test
    void warningsOnly_exit1() {
        int status = check("quiet.test", "--no-smtp");

        assertThat(status).as(out.toString()).isEqualTo(1);
        assertThat(out.toString())
                .contains("[W] cross.no-tlsrpt")
                .contains("Verdict quiet.test: PASS with warnings, 0 errors, 1 warning (exit 1)");
    }

    // RFC 8461 §3.1: no _mta-sts record is information, not an error; the DNS server answered.
    @Test
    void noMtaSts_exit0() {
        int status = check("plain.test");

        assertThat(status).as(out.toString()).isZero();
        assertThat(out.toString()).contains("[I] sts.txt.lookup").contains("_mta-sts.plain.test  NXDOMAIN");
    }

    // Several domains: checked concurrently, one JSON array, the worst exit code.
    @Test
    void severalDomains_jsonArray_worstExitCode() throws IOException {
        int status = check("good.test", "html.test", "quiet.test", "--json", "--no-smtp");

        assertThat(status).isEqualTo(2);
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.isArray()).isTrue();
        assertThat(doc).hasSize(3);
        assertThat(doc.get(0).get("domain").asText()).isEqualTo("good.test");
        assertThat(doc.get(0).get("exitCode").asInt()).isZero();
        assertThat(doc.get(1).get("exitCode").asInt()).isEqualTo(2);
        assertThat(doc.get(2).get("exitCode").asInt()).isEqualTo(1);
    }

    @Test
    void severalDomains_textInOrderGiven() {
        int status = check("html.test", "good.test", "--no-smtp");

        assertThat(status).isEqualTo(2);
        String text = out.toString();
        assertThat(text.indexOf("== html.test")).isGreaterThanOrEqualTo(0).isLessThan(text.indexOf("== good.test"));
        assertThat(text).contains("Verdict html.test: FAIL").contains("Verdict good.test: PASS");
    }

    // --no-smtp: the MX addresses are listed but not probed.
    @Test
    void noSmtp_addressesNotProbed() throws IOException {
        check("good.test", "--json", "--no-smtp");

        JsonNode address =
                JSON.readTree(out.toString()).get("mx").get(0).get("addresses").get(0);
        assertThat(address.get("probe").asText()).isEqualTo("NOT_PROBED");
    }

    @Test
    void colourAlways_paintsSeverities() {
        check("quiet.test", "--no-smtp", "--color=always");

        assertThat(out.toString())
                .contains("\u001b[33m[W] cross.no-tlsrpt\u001b[0m")
                .contains("\u001b[2m[I] ");
    }

    // CHK-CLI-3: the DNS server does not answer: a local fault, exit 3, never blamed on the domain.
    @Test
    void dnsServerUnreachable_exit3() throws IOException {
        int port;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        int status = run("check", "good.test", "--dns", "127.0.0.1:" + port, "--timeout", "1", "--json");

        assertThat(status).isEqualTo(3);
        assertThat(err.toString()).contains("cannot reach the DNS server").contains("good.test");
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.get("verdict").asText()).isEqualTo("not-run");
        assertThat(doc.has("findings")).isFalse();
    }

    // CHK-CLI-2: bad usage exits 3, not picocli's usual 2 (which would read as "errors found").
    @Test
    void badUsage_exit3() {
        assertThat(run("check")).isEqualTo(3);
        assertThat(run("check", "good.test", "--bogus")).isEqualTo(3);
        assertThat(run("check", "good.test", "--dns", "127.0.0.1:99999")).isEqualTo(3);
        assertThat(run("check", "good.test", "--color=sometimes")).isEqualTo(3);
        assertThat(run(
                        "check",
                        "good.test",
                        "--ca-file",
                        dir.resolve("absent.pem").toString()))
                .isEqualTo(3);
        assertThat(err.toString()).contains("--dns port must be 1..65535").contains("--ca-file: cannot read");
    }

    @Test
    void notADomain_exit3() {
        assertThat(check("not a domain")).isEqualTo(3);
        assertThat(err.toString()).contains("not a domain name");
    }

    @Test
    void help_exit0_namesExitCodes() {
        assertThat(run("check", "--help")).isZero();
        assertThat(out.toString())
                .contains("--no-smtp")
                .contains("--dns=HOST:PORT")
                .contains("--ca-file=FILE")
                .contains("Exit codes:")
                .contains("3   the check could not run");
    }

    // The history file remembers policy bodies between runs (sts.id.drift needs it).
    @Test
    void history_fileIsWritten() throws IOException {
        Path history = dir.resolve("history.properties");

        int status = check("good.test", "--no-smtp", "--history", history.toString());

        assertThat(status).isZero();
        assertThat(Files.readString(history)).contains(MultiAddressWorld.HEALTHY_ID);
    }

    @Test
    void sectionOfEveryCheck() {
        // Every check has a section (the switch is exhaustive); the cross-checks have their own.
        assertThat(CheckText.section(dev.mtasts.checker.Check.CROSS_NO_TLSRPT)).isEqualTo(CheckText.Section.CROSS);
        assertThat(CheckText.section(dev.mtasts.checker.Check.STS_MX_CERT)).isEqualTo(CheckText.Section.MX);
        assertThat(CheckText.section(dev.mtasts.checker.Check.RPT_RUA_POST)).isEqualTo(CheckText.Section.TLSRPT);
    }
}
