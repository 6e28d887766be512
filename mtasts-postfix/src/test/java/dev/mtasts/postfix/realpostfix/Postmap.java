package dev.mtasts.postfix.realpostfix;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code postmap -q} against a socketmap table, with an empty {@code main.cf} of its
 * own ({@code -c}) and {@code -f} so the key reaches the daemon in its own case.
 */
final class Postmap {
    private final Path configDir;

    /** What one postmap run printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {}

    Postmap(Path workDir) throws IOException {
        this.configDir = Files.createDirectories(workDir.resolve("postmap-config"));
        RealPostfix.writeConfig(configDir.resolve("main.cf"), "");
    }

    /** {@code postmap -c DIR -f -q KEY TABLE}. */
    Result query(String table, String key) throws IOException {
        return run(List.of("-q", key, table), "");
    }

    /** {@code postmap -c DIR -f -q - TABLE}: one key per line on stdin, {@code key<TAB>value} per hit. */
    Result queryAll(String table, List<String> keys) throws IOException {
        return run(List.of("-q", "-", table), String.join("\n", keys) + "\n");
    }

    private Result run(List<String> arguments, String input) throws IOException {
        List<String> command =
                new ArrayList<>(List.of(RealPostfix.POSTMAP.toString(), "-c", configDir.toString(), "-f"));
        command.addAll(arguments);
        Path out = Files.createTempFile(configDir, "out", ".txt");
        Path err = Files.createTempFile(configDir, "err", ".txt");
        Process postmap = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try (OutputStream stdin = postmap.getOutputStream()) {
            stdin.write(input.getBytes(UTF_8));
        }
        try {
            if (!postmap.waitFor(30, TimeUnit.SECONDS)) {
                postmap.destroyForcibly();
                throw new IllegalStateException("postmap did not finish: " + command);
            }
        } catch (InterruptedException e) {
            postmap.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            return new Result(postmap.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
