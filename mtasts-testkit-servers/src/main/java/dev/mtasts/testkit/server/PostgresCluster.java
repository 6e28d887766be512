package dev.mtasts.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL server on loopback for tests: Debian's {@code postgresql} binaries, a private
 * cluster ({@code initdb} + {@code pg_ctl}) in a temporary directory, trust authentication, never
 * the machine's own cluster. When the environment names a running cluster ({@code
 * MTASTS_PG_PORT}, and {@code MTASTS_PG_DATA} and {@code MTASTS_PG_BIN} for restarts, as
 * {@code scripts/pg-cluster.sh start} prints them), that one is used instead. Each test takes a fresh
 * database of its own ({@link #createDatabase}).
 *
 * <p>As root, the server runs as the {@code postgres} user (PostgreSQL refuses to run as root).
 */
public final class PostgresCluster {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static @Nullable PostgresCluster shared;

    private final Path bin;
    private final Path data;
    private final int port;
    private final boolean owned;

    private PostgresCluster(Path bin, Path data, int port, boolean owned) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.owned = owned;
    }

    /**
     * The JVM's one cluster: the one the environment names, else a private one started now (and
     * stopped when the JVM exits); empty when PostgreSQL is not installed.
     */
    public static synchronized Optional<PostgresCluster> shared() {
        if (shared != null) {
            return Optional.of(shared);
        }
        String envPort = System.getenv("MTASTS_PG_PORT");
        String envData = System.getenv("MTASTS_PG_DATA");
        String envBin = System.getenv("MTASTS_PG_BIN");
        if (envPort != null && envData != null && envBin != null) {
            shared = new PostgresCluster(Path.of(envBin), Path.of(envData), Integer.parseInt(envPort), false);
            return Optional.of(shared);
        }
        Optional<Path> bin = findBin();
        if (bin.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path dir = Files.createTempDirectory("mtasts-pg-");
            PostgresCluster cluster = new PostgresCluster(bin.get(), dir.resolve("data"), freePort(), true);
            cluster.init(dir);
            cluster.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.stopQuietly();
                deleteQuietly(dir);
            }));
            shared = cluster;
            return Optional.of(cluster);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a private PostgreSQL cluster", e);
        }
    }

    /** The directory of {@code initdb} and {@code pg_ctl} (newest Debian version), if installed. */
    public static Optional<Path> findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(PostgresCluster::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bin) {
        Path version = bin.getParent();
        try {
            return version == null ? 0 : Integer.parseInt(String.valueOf(version.getFileName()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The superuser tests connect as (trust authentication, no password). */
    public String user() {
        return "postgres";
    }

    /** The JDBC URL of {@code database}, with the user, on 127.0.0.1. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + user();
    }

    /** A new, empty database named after {@code prefix} (made unique); returns its name. */
    public String createDatabase(String prefix) {
        String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
                + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
            if (!Character.isLetter(name.charAt(0))) {
                name = "d" + name.substring(1);
            }
        }
        run(List.of(
                bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", user(), name));
        return name;
    }

    /** Stops the server (fast shutdown: open connections are cut). */
    public void stop() {
        pgCtl("stop", "-m", "fast", "-w");
    }

    /** Starts the server again on the same port and data. */
    public void start() {
        pgCtl(
                "start",
                "-w",
                "-l",
                data.resolveSibling("server.log").toString(),
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k "
                        + data.toAbsolutePath().getParent()
                        + " -c fsync=off"
                        + " -c max_connections=200");
    }

    /** Stops and starts the server: every connection is cut, committed data stays. */
    public void restart() {
        stop();
        start();
    }

    private void init(Path dir) throws IOException {
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        asServerUser(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync"));
    }

    private void pgCtl(String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
        command.addAll(List.of(args));
        asServerUser(command);
    }

    private void stopQuietly() {
        if (owned) {
            try {
                pgCtl("stop", "-m", "immediate", "-w");
            } catch (RuntimeException ignored) {
                // Already stopped, or the JVM is going anyway.
            }
        }
    }

    private void asServerUser(List<String> command) {
        if (isRoot()) {
            List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
            wrapped.addAll(command);
            run(wrapped);
        } else {
            run(command);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory; the OS cleans it up eventually.
        }
    }
}
