package dev.mtasts.postfix.realpostfix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.HttpFault;
import dev.mtasts.testkit.server.PolicyResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code postmap -q} (Postfix's own socketmap client) against the daemon, one answer class
 * per test: what Postfix makes of each reply is the exit code and what it prints. {@code OK data}
 * prints data and exits 0; {@code NOTFOUND} prints nothing and exits 1; {@code TEMP} exits 1 with a
 * "temporary error" warning and a fatal "query error" on stderr (PF-NET-4).
 */
final class PostmapTest {
    private static MtaStsWorld world;
    private static DaemonUnderTest daemon;

    private Postmap postmap;

    @BeforeAll
    static void start() throws Exception {
        RealPostfix.assumePostmap();
        world = MtaStsWorld.builder()
                .domain(
                        "enforce.example",
                        d -> d.mx(10, "mx1.enforce.example")
                                .policy(Mode.ENFORCE, "mx1.enforce.example", "*.enforce.example"))
                .domain(
                        "testing.example",
                        d -> d.mx(10, "mx.testing.example").policy(Mode.TESTING, "mx.testing.example"))
                .domain("none.example", d -> d.mx(10, "mx.none.example").policy(Mode.NONE))
                .domain("nopolicy.example", d -> d.mx(10, "mx.nopolicy.example"))
                .domain("wild.example", d -> d.mx(10, "a.mx.wild.example").policy(Mode.ENFORCE, "*.mx.wild.example"))
                .domain("keys.example", d -> d.mx(10, "mx.keys.example").policy(Mode.ENFORCE, "mx.keys.example"))
                .domain(
                        "servfail.example",
                        d -> d.mx(10, "mx.servfail.example").policy(Mode.ENFORCE, "mx.servfail.example"))
                .domain("silent.example", d -> d.mx(10, "mx.silent.example").policy(Mode.ENFORCE, "mx.silent.example"))
                .domain("cached.example", d -> d.mx(10, "mx.cached.example").policy(Mode.ENFORCE, "mx.cached.example"))
                .domain(
                        "hostfail.example",
                        d -> d.mx(10, "mx.hostfail.example").policy(Mode.ENFORCE, "mx.hostfail.example"))
                .build()
                .start();
        daemon = DaemonUnderTest.start(world);
    }

    @AfterAll
    static void stop() {
        try (MtaStsWorld w = world;
                DaemonUnderTest d = daemon) {
            // closes both, the daemon first
        }
    }

    @BeforeEach
    void postmap(@TempDir Path dir) throws Exception {
        postmap = new Postmap(dir);
    }

    private Postmap.Result query(String key) throws Exception {
        return postmap.query(daemon.table("postfix"), key);
    }

    private static void assertNotFound(Postmap.Result result) {
        assertThat(result).as("NOTFOUND: nothing printed, exit 1").isEqualTo(new Postmap.Result(1, "", ""));
    }

    private void assertTemporaryError(Postmap.Result result, String zone, String reason) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr())
                .contains("postmap: warning: " + daemon.table(zone) + " socketmap server temporary error: " + reason)
                .contains("postmap: fatal: table " + daemon.table(zone) + ": query error");
    }

    // RFC 8461 §5, PF-POL-1: enforce is a "secure" policy whose match= lists the policy's MX patterns
    @Test
    void enforce_printsSecureWithMatchAndServername() throws Exception {
        assertThat(query("enforce.example"))
                .isEqualTo(new Postmap.Result(
                        0, "secure match=mx1.enforce.example:.enforce.example servername=hostname\n", ""));
    }

    // RFC 8461 §5, PF-POL-2: testing must not make delivery fail, so Postfix gets no policy
    @Test
    void testing_isNotFound() throws Exception {
        assertNotFound(query("testing.example"));
    }

    // PF-POL-1: strict_testing answers a testing policy as enforce
    @Test
    void testingUnderStrictTesting_printsSecure() throws Exception {
        assertThat(postmap.query(daemon.table("strict"), "testing.example"))
                .isEqualTo(new Postmap.Result(0, "secure match=mx.testing.example servername=hostname\n", ""));
    }

    // RFC 8461 §5, PF-POL-2: mode none, and a domain without an _mta-sts record
    @Test
    void noneAndNoPolicy_areNotFound() throws Exception {
        assertNotFound(query("none.example"));
        assertNotFound(query("nopolicy.example"));
    }

    // RFC 8461 §4.1, PF-POL-1: "*.d" becomes Postfix's ".d"
    @Test
    void wildcardMx_isALeadingDotMatch() throws Exception {
        assertThat(query("wild.example"))
                .isEqualTo(new Postmap.Result(0, "secure match=.mx.wild.example servername=hostname\n", ""));
    }

    // RFC 8461 §3.4, PF-KEY-1, PF-KEY-2: a transport nexthop is normalised to the policy domain
    @Test
    void bracketedPortCaseAndTrailingDotKeys_answerTheDomainsPolicy() throws Exception {
        Postmap.Result expected = new Postmap.Result(0, "secure match=mx.keys.example servername=hostname\n", "");
        for (String key : List.of("[keys.example]", "[keys.example]:587", "keys.example:25", "KEYS.Example.")) {
            assertThat(query(key)).as(key).isEqualTo(expected);
        }
    }

    // RFC 8461 §3.4, PF-KEY-3: IP literals and parent-domain keys never have a policy; no DNS is asked
    @Test
    void ipAndLeadingDotKeys_areNotFoundWithoutDns() throws Exception {
        long queries = world.dns().queries().size();
        for (String key :
                List.of("[192.0.2.1]", "192.0.2.1", "[IPv6:2001:db8::1]", "[192.0.2.1]:25", ".enforce.example")) {
            assertNotFound(query(key));
        }
        assertThat(world.dns().queries()).hasSize((int) queries);
    }

    // RFC 8461 §3.3, PF-BETTER-1: a DNS failure with nothing cached defers (TEMP), unlike SNA
    @Test
    void dnsServfailWithoutCache_isATemporaryError() throws Exception {
        world.dns().fault("_mta-sts.servfail.example", "TXT", DnsFault.SERVFAIL);

        assertTemporaryError(query("servfail.example"), "postfix", "dns lookup failed");
        // temp_on_dns_error: false gives postfix-mta-sts-resolver's NOTFOUND
        assertNotFound(postmap.query(daemon.table("sna"), "servfail.example"));
    }

    // RFC 8461 §3.3, PF-BETTER-1: a DNS server that never answers is a DNS failure too
    @Test
    void dnsTimeoutWithoutCache_isATemporaryError() throws Exception {
        world.dns().fault("_mta-sts.silent.example", "TXT", DnsFault.TIMEOUT);

        assertTemporaryError(query("silent.example"), "postfix", "dns lookup failed");
    }

    // RFC 8461 §3.3, §10.2, STS-CACHE-4: a cached policy stays in force while DNS fails
    @Test
    void dnsFailureWithCachedPolicy_stillPrintsThePolicy() throws Exception {
        Postmap.Result fresh = query("cached.example");
        // cache_grace is 0 here: the next lookup checks the TXT record again, and finds DNS broken
        world.dns().fault("_mta-sts.cached.example", DnsFault.SERVFAIL);

        assertThat(fresh.exitCode()).isZero();
        assertThat(query("cached.example")).isEqualTo(fresh);
    }

    // RFC 8461 §3.3, PF-BETTER-1: an HTTPS failure delivers as if there were no MTA-STS
    @Test
    void policyHostFailure_isNotFound() throws Exception {
        world.policyHost().respond("hostfail.example", PolicyResponse.fault(HttpFault.FAIL_HANDSHAKE));

        assertNotFound(query("hostfail.example"));
        world.policyHost().respond("hostfail.example", PolicyResponse.status(500));
        assertNotFound(postmap.query(daemon.table("strict"), "hostfail.example"));
    }

    // PF-NET-7, PF-NET-4: a request over 1024 bytes gets PERM, which Postfix reports as a permanent error
    @Test
    void oversizedKey_isAPermanentError() throws Exception {
        String key = "a".repeat(1100) + ".example";

        Postmap.Result result = query(key);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr())
                .contains("postmap: warning: " + daemon.table("postfix")
                        + " socketmap server permanent error: request too large")
                .contains("postmap: fatal: table " + daemon.table("postfix") + ": query error");
    }

    // PF-NET-1, PF-NET-6: postmap asks several keys over its connection; only hits are printed
    @Test
    void manyKeysFromStdin_printEachHit() throws Exception {
        Postmap.Result result = postmap.queryAll(
                daemon.table("postfix"), List.of("enforce.example", "testing.example", "[192.0.2.1]", "wild.example"));

        assertThat(result)
                .isEqualTo(new Postmap.Result(
                        0,
                        "enforce.example\tsecure match=mx1.enforce.example:.enforce.example servername=hostname\n"
                                + "wild.example\tsecure match=.mx.wild.example servername=hostname\n",
                        ""));
    }
}
