package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

final class ServeCommandInProcessTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void serve_configErrorPrintsTheMessageAndExits2(@TempDir Path dir) throws IOException {
        // PF-CONF-2: file, line and key path; exit 2
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, "port: 1\nzones:\n  myzone:\n    timeout: soon\n");
        assertThat(run("serve", "-c", file.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("mtasts serve: " + file + ":4: zones.myzone.timeout: must be a number but was 'soon'\n");
    }

    @Test
    void serve_unsupportedCacheTypeExits2(@TempDir Path dir) throws IOException {
        // PF-CONF-4
        Path file = dir.resolve("redis.yml");
        Files.writeString(file, "cache:\n  type: redis\n");
        assertThat(run("serve", "-c", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":2: cache.type: 'redis' is not supported");
    }

    @Test
    void serve_missingFileExits2(@TempDir Path dir) {
        assertThat(run("serve", "-c", dir.resolve("absent.yml").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("mtasts serve: cannot read " + dir.resolve("absent.yml"));
    }

    @Test
    void serve_unknownVerbosityExits2(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ok.yml");
        Files.writeString(file, "port: 0\n");
        assertThat(run("serve", "-c", file.toString(), "-v", "loud")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown verbosity 'loud'");
    }

    @Test
    void serve_addressInUseExits1(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("busy.yml");
            Files.writeString(file, "port: " + taken.getLocalPort() + "\nreuse_port: false\n");
            assertThat(run("serve", "-c", file.toString())).isEqualTo(1);
            assertThat(err.toString()).startsWith("mtasts serve: cannot start:");
        }
    }

    @Test
    void serve_answersUntilStoppedThenExits0(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path file = dir.resolve("ok.yml");
        Files.writeString(file, "port: " + port + "\nshutdown_timeout: 2\n");
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        cli.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> status =
                CompletableFuture.supplyAsync(() -> cli.execute("-c", file.toString(), "-v", "warn"));
        // PF-KEY-3: an IP literal needs no DNS
        assertThat(askWhenUp(port, "postfix [192.0.2.1]")).isEqualTo("9:NOTFOUND ,");
        serve.stop.countDown();
        assertThat(status.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(ServeCommand.level("crit")).isEqualTo(ch.qos.logback.classic.Level.ERROR);
    }

    /** Connects once the daemon listens (it starts on another thread), sends one request. */
    private static String askWhenUp(int port, String payload) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                OutputStream o = socket.getOutputStream();
                byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                o.write((bytes.length + ":" + payload + ",").getBytes(StandardCharsets.UTF_8));
                o.flush();
                InputStream in = socket.getInputStream();
                return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                // Polling for readiness only: no assertion depends on how long this takes.
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }
}
