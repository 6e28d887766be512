package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.DnsFault;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mtasts resolve}: the sender's own engine against a loopback world. */
final class ResolveCommandTest {
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
        world.mx("good.test", 20, "backup.elsewhere.test");
        world.healthy("testing.test")
                .policy("testing.test", "version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 86400\n");
        world.dns().txt("_mta-sts.broken.test", "v=STSv1; id=1;");
        world.dns().fault("_mta-sts.broken.test", DnsFault.SERVFAIL);
        world.dns().mx("plain.test", 10, "mx.plain.test");
        caFile = WorldOptions.writeCa(world, dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private int resolve(String... args) {
        List<String> all = new ArrayList<>(List.of("resolve"));
        all.addAll(WorldOptions.of(world, caFile));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    // RFC 8461 §4.1, §5: enforce: the covered MX needs validated TLS, the other is skipped.
    @Test
    void enforce_mxFromDns() {
        int status = resolve("good.test");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("good.test: MTA-STS policy, fetched now")
                .contains("id       " + MultiAddressWorld.HEALTHY_ID)
                .contains("mode     enforce")
                .contains("mx       mx.good.test")
                .contains("MX hosts (DNS MX records):")
                .contains("mx.good.test: deliver only over STARTTLS with a validated certificate")
                .contains("backup.elsewhere.test: SKIP")
                .contains("Decision: try mx.good.test in this order");
    }

    // RFC 8461 §5.1: enforce and no given MX matches: defer, reported as sts-mx-not-in-policy.
    @Test
    void enforce_givenMxNotCovered_defers() throws IOException {
        int status = resolve("good.test", "evil.example.org", "--json");

        assertThat(status).isZero();
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.get("result").asText()).isEqualTo("policy");
        assertThat(doc.get("source").asText()).isEqualTo("fetched");
        assertThat(doc.get("policy").get("mode").asText()).isEqualTo("enforce");
        assertThat(doc.get("policy").get("maxAge").asLong()).isEqualTo(604800);
        assertThat(doc.get("mxSource").asText()).isEqualTo("given");
        assertThat(doc.get("mx").get(0).get("host").asText()).isEqualTo("evil.example.org");
        assertThat(doc.get("mx").get(0).get("decision").asText()).isEqualTo("SKIP");
        assertThat(doc.get("deferral").get("kind").asText()).isEqualTo("MX_NOT_IN_POLICY");
    }

    // RFC 8461 §5: testing delivers as usual and reports.
    @Test
    void testing_reportOnly() {
        assertThat(resolve("testing.test", "mx.testing.test", "other.test")).isZero();
        assertThat(out.toString())
                .contains("mode     testing")
                .contains("mx.testing.test: deliver as usual (testing); TLS failures are reported")
                .contains("other.test: deliver as usual (testing); TLS failures are reported; matches no mx pattern");
    }

    // RFC 8461 §3.3: no _mta-sts record: deliver as without MTA-STS; a decision, exit 0.
    @Test
    void noPolicy_unconstrained() {
        assertThat(resolve("plain.test")).isZero();
        assertThat(out.toString())
                .contains("plain.test: no MTA-STS policy")
                .contains("mx.plain.test: deliver as usual: no MTA-STS constraint");
    }

    // RFC 8461 §10.2: a temporary DNS failure is never "no policy": defer, exit 2.
    @Test
    void dnsFailure_unavailable_exit2() throws IOException {
        int status = resolve("broken.test", "mx.broken.test", "--json");

        assertThat(status).isEqualTo(2);
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.get("result").asText()).isEqualTo("unavailable");
        assertThat(doc.get("problem").asText()).contains("SERVFAIL");
        assertThat(doc.get("deferral").get("kind").asText()).isEqualTo("POLICY_UNAVAILABLE");
    }

    @Test
    void badUsage_exit3() {
        assertThat(run("resolve")).isEqualTo(3);
        assertThat(run("resolve", "[192.0.2.1]")).isEqualTo(3);
        assertThat(run("resolve", "good.test", "--https-port", "0")).isEqualTo(3);
        assertThat(err.toString()).contains("--https-port must be 1..65535");
    }
}
