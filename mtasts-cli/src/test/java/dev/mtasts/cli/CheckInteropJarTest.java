package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar against servers nobody here wrote: unbound serving the zone {@code interop.test}
 * and nginx serving the policies over HTTPS. Skipped, saying why, when either binary is missing.
 */
final class CheckInteropJarTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD_POLICY = "version: STSv1\nmode: enforce\nmx: mx.interop.test\nmax_age: 604800\n";

    @TempDir
    static Path dir;

    private static final List<Process> servers = new ArrayList<>();
    private static int dnsPort;
    private static int httpsPort;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> unbound = binary("unbound");
        Optional<Path> nginx = binary("nginx");
        assumeTrue(unbound.isPresent(), "interop test skipped: no 'unbound' binary (apt-get install unbound)");
        assumeTrue(nginx.isPresent(), "interop test skipped: no 'nginx' binary (apt-get install nginx)");
        int block = ThreadLocalRandom.current().nextInt(2, 250);
        String policyAddress = "127." + block + ".77.1";
        String mxAddress = "127." + block + ".77.2";

        TestCertificateAuthority ca = TestCertificateAuthority.create("interop test CA");
        TestCertificate cert = ca.issue()
                .dnsNames("mta-sts.interop.test", "mta-sts.html.interop.test")
                .rsa2048() // nginx's OpenSSL reads an RSA PKCS#8 key
                .build();
        Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Files.writeString(dir.resolve("chain.pem"), cert.chainPem());
        Files.writeString(dir.resolve("key.pem"), cert.privateKeyPem());
        Files.writeString(dir.resolve("good.txt"), GOOD_POLICY);
        Files.writeString(
                dir.resolve("html.txt"), "version: STSv1\nmode: enforce\nmx: mx.html.interop.test\nmax_age: 604800\n");

        dnsPort = freePort();
        Files.writeString(dir.resolve("unbound.conf"), unboundConf(policyAddress, mxAddress));
        servers.add(start(
                List.of(
                        unbound.get().toString(),
                        "-d",
                        "-c",
                        dir.resolve("unbound.conf").toString()),
                "unbound"));
        httpsPort = freePort();
        Files.writeString(dir.resolve("nginx.conf"), nginxConf(policyAddress));
        Files.createDirectories(dir.resolve("nginx-tmp"));
        servers.add(start(
                List.of(
                        nginx.get().toString(),
                        "-p",
                        dir.toString(),
                        "-e",
                        dir.resolve("nginx-error.log").toString(),
                        "-c",
                        dir.resolve("nginx.conf").toString()),
                "nginx"));
        waitForPort(new InetSocketAddress("127.0.0.1", dnsPort), "unbound");
        waitForPort(new InetSocketAddress(policyAddress, httpsPort), "nginx");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process server : servers) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String unboundConf(String policyAddress, String mxAddress) {
        return String.join(
                "\n",
                "server:",
                "  interface: 127.0.0.1@" + dnsPort,
                "  port: " + dnsPort,
                "  do-daemonize: no",
                "  username: \"\"",
                "  chroot: \"\"",
                "  directory: \"" + dir + "\"",
                "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
                "  use-syslog: no",
                "  logfile: \"\"",
                "  do-ip6: no",
                "  access-control: 127.0.0.0/8 allow",
                "  module-config: \"iterator\"",
                "  local-zone: \"interop.test.\" static",
                "  local-data: \"interop.test. 300 IN MX 10 mx.interop.test.\"",
                "  local-data: '_mta-sts.interop.test. 300 IN TXT \"v=STSv1; id=20261202T000000;\"'",
                "  local-data: '_smtp._tls.interop.test. 300 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@interop.test\"'",
                "  local-data: \"mta-sts.interop.test. 300 IN A " + policyAddress + "\"",
                "  local-data: \"mx.interop.test. 300 IN A " + mxAddress + "\"",
                // A second domain in the zone whose policy host serves text/html.
                "  local-data: \"html.interop.test. 300 IN MX 10 mx.html.interop.test.\"",
                "  local-data: '_mta-sts.html.interop.test. 300 IN TXT \"v=STSv1; id=1;\"'",
                "  local-data: '_smtp._tls.html.interop.test. 300 IN TXT \"v=TLSRPTv1; rua=mailto:r@interop.test\"'",
                "  local-data: \"mta-sts.html.interop.test. 300 IN A " + policyAddress + "\"",
                "  local-data: \"mx.html.interop.test. 300 IN A " + mxAddress + "\"",
                "remote-control:",
                "  control-enable: no",
                "");
    }

    private static String nginxConf(String policyAddress) {
        String listen = "    listen " + policyAddress + ":" + httpsPort + " ssl;\n"
                + "    ssl_certificate " + dir.resolve("chain.pem") + ";\n"
                + "    ssl_certificate_key " + dir.resolve("key.pem") + ";\n";
        String tmp = dir.resolve("nginx-tmp").toString();
        return "daemon off;\n"
                + "master_process off;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("nginx-error.log") + ";\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + tmp + "/body;\n"
                + "  proxy_temp_path " + tmp + "/proxy;\n"
                + "  fastcgi_temp_path " + tmp + "/fastcgi;\n"
                + "  uwsgi_temp_path " + tmp + "/uwsgi;\n"
                + "  scgi_temp_path " + tmp + "/scgi;\n"
                + "  server {\n" + listen
                + "    server_name mta-sts.interop.test;\n"
                + "    location = /.well-known/mta-sts.txt {\n"
                + "      types { }\n"
                + "      default_type text/plain;\n"
                + "      alias " + dir.resolve("good.txt") + ";\n"
                + "    }\n"
                + "  }\n"
                + "  server {\n" + listen
                + "    server_name mta-sts.html.interop.test;\n"
                + "    location = /.well-known/mta-sts.txt {\n"
                + "      types { }\n"
                + "      default_type text/html;\n"
                + "      alias " + dir.resolve("html.txt") + ";\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    private static List<String> lab(String command, String domain, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                domain,
                "--dns",
                "127.0.0.1:" + dnsPort,
                "--https-port",
                String.valueOf(httpsPort),
                "--ca-file",
                dir.resolve("ca.pem").toString(),
                "--private-ok",
                "--timeout",
                "10"));
        args.addAll(List.of(more));
        return args;
    }

    private static List<String> ids(JsonNode doc, String severity) {
        List<String> ids = new ArrayList<>();
        doc.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals(severity)) {
                ids.add(f.get("id").asText());
            }
        });
        return ids;
    }

    @Test
    void check_healthyDomain_noErrors() throws Exception {
        CheckJarTest.Run run = CheckJarTest.jar(dir, lab("check", "interop.test", "--json", "--no-smtp"));

        JsonNode doc = JSON.readTree(run.out());
        assertThat(ids(doc, "E")).as(run.out() + run.err()).isEmpty();
        assertThat(run.status()).isIn(0, 1);
        assertThat(doc.get("stsRecord").get("id").asText()).isEqualTo("20261202T000000");
        assertThat(doc.get("policyHost").get(0).get("contentType").asText()).startsWith("text/plain");
        assertThat(doc.get("policy").get("mode").asText()).isEqualTo("enforce");
        assertThat(doc.get("mx").get(0).get("host").asText()).isEqualTo("mx.interop.test");
        assertThat(doc.get("mx").get(0).get("covered").asBoolean()).isTrue();
        assertThat(doc.get("tlsRpt").get("rua").get(0).asText()).isEqualTo("mailto:tlsrpt@interop.test");
    }

    // RFC 8461 §3.2: nginx serving the policy as text/html: validating senders drop it.
    @Test
    void check_policyServedAsHtml_ctypeError() throws Exception {
        CheckJarTest.Run run = CheckJarTest.jar(dir, lab("check", "html.interop.test", "--json", "--no-smtp"));

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(ids(JSON.readTree(run.out()), "E")).contains("sts.http.ctype");
    }

    // RFC 8461 §5: the sender's engine fetches the policy from nginx and applies it to unbound's MX.
    @Test
    void resolve_enforce() throws Exception {
        CheckJarTest.Run run = CheckJarTest.jar(dir, lab("resolve", "interop.test"));

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("interop.test: MTA-STS policy, fetched now")
                .contains("mode     enforce")
                .contains("mx.interop.test: deliver only over STARTTLS with a validated certificate");
    }

    // RFC 8461 §3.2: our sender refuses the text/html policy too; no policy is cached, so none applies.
    @Test
    void resolve_htmlPolicy_notApplied() throws Exception {
        CheckJarTest.Run run = CheckJarTest.jar(dir, lab("resolve", "html.interop.test", "--json"));

        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("result").asText()).as(run.out() + run.err()).isNotEqualTo("policy");
        assertThat(doc.get("problem").asText()).contains("text/html");
    }

    private static Optional<Path> binary(String name) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Process start(List<String> command, String name) throws IOException {
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (IOException e) {
                    // taken for UDP: try another
                }
            }
        }
        throw new IOException("no free port");
    }

    private static void waitForPort(InetSocketAddress address, String name) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        @Nullable IOException last = null;
        while (System.nanoTime() < deadline) {
            for (Process server : servers) {
                if (!server.isAlive()) {
                    throw new IOException(name + " ended at start-up: " + logs());
                }
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, 1000);
                return;
            } catch (IOException e) {
                last = e;
                // Polling for readiness only: no assertion depends on how long this takes.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        throw new IOException(name + " does not listen on " + address + ": " + last + " " + logs());
    }

    private static String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String log : List.of("unbound.err", "nginx.err", "nginx-error.log")) {
            Path file = dir.resolve(log);
            if (Files.exists(file)) {
                sb.append('\n').append(log).append(":\n").append(Files.readString(file));
            }
        }
        return sb.toString();
    }
}
