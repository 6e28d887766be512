package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded {@code mtasts.jar} as Postfix's operators will: {@code java -jar mtasts.jar serve}. */
final class ServeCommandTest {
    private static final Pattern LISTEN = Pattern.compile("listen=\"/127\\.0\\.0\\.1:(\\d+)\"");

    private static Process serve(Path config) throws IOException {
        return serve(config, List.of(), null);
    }

    private static Process serve(Path config, List<String> more, @Nullable Path stderr) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("mtasts.jar", "target/mtasts.jar"),
                "serve",
                "-c",
                config.toString()));
        command.addAll(more);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (stderr != null) {
            builder.redirectError(stderr.toFile());
        }
        return builder.start();
    }

    @Test
    void jar_answersAnIpKeyAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("daemon.yml");
        Files.writeString(config, "port: 0\nshutdown_timeout: 5\n");
        Process daemon = serve(config);
        try {
            BufferedReader log =
                    new BufferedReader(new InputStreamReader(daemon.getErrorStream(), StandardCharsets.UTF_8));
            String started = readUntil(log, "mtasts daemon started");
            // One line per event, key=value; the native transport loads from the shaded jar.
            assertThat(started)
                    .contains("level=INFO")
                    .contains("transport=\"epoll\"")
                    .contains("cache=\"internal:10000\"");
            Matcher m = LISTEN.matcher(started);
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            // PF-KEY-3: an IP key is NOTFOUND at once, no DNS needed
            assertThat(ask(port, "postfix [192.0.2.1]:25")).isEqualTo("9:NOTFOUND ,");
            daemon.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of the pipes
            assertThat(readUntil(log, "mtasts daemon stopped")).contains("level=INFO");
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isEqualTo(143);
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void jar_logsToTheLogfileGiven(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("daemon.yml");
        Path logfile = dir.resolve("daemon.log");
        Path stderr = dir.resolve("stderr.txt");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Files.writeString(config, "port: " + port + "\n");
        Process daemon = serve(config, List.of("-l", logfile.toString(), "-v", "debug"), stderr);
        try {
            assertThat(askWhenUp(port, "postfix [IPv6:2001:db8::1]")).isEqualTo("9:NOTFOUND ,");
            daemon.toHandle().destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Nothing on standard error once the file takes over; the file has every event.
            assertThat(Files.readString(stderr)).doesNotContain("level=");
            assertThat(Files.readString(logfile))
                    .contains("msg=\"mtasts daemon started\"")
                    .contains("msg=\"mtasts daemon stopped\"");
        } finally {
            daemon.destroyForcibly();
        }
    }

    /** Connects once the daemon listens, then sends one request. */
    private static String askWhenUp(int port, String payload) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return ask(port, payload);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                // Polling for readiness only: no assertion depends on how long this takes.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    @Test
    void jar_badConfigPrintsTheMessageAndExits2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yml");
        Files.writeString(
                config,
                "cache:\n  type: postgres\n  options:\n    dsn: postgres://mta:pw@db/mtasts?sslmode=sometimes\n");
        Process daemon = serve(config);
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(daemon.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(daemon.exitValue()).isEqualTo(2);
        assertThat(stderr)
                .isEqualTo("mtasts serve: " + config
                        + ":4: cache.options.dsn: sslmode: 'sometimes' is not one of [allow, disable, prefer, require,"
                        + " verify-ca, verify-full]\n");
    }

    private static String readUntil(BufferedReader log, String text) throws IOException {
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("the daemon ended without logging '" + text + "'");
    }

    private static String ask(int port, String payload) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((payload.getBytes(StandardCharsets.UTF_8).length + ":" + payload + ",")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        }
    }
}
