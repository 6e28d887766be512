package dev.mtasts.tlsrpt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TlsRptStore} in one JSON file, replaced atomically and durably: the new content is fsynced
 * before the rename and the directory after it, so a power loss leaves either the old or the new
 * counts. A file that cannot be read back (torn, empty, not our shape) is moved aside and counting
 * restarts from zero, with a warning: the recorder must keep working. One opener at a time: a lock
 * on a sibling {@code .lock} file keeps a second process, or a second store in this JVM, out.
 * Thread-safe (synchronized).
 */
public final class FileStore implements TlsRptStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Path lockFile;
    private final Clock clock;

    @GuardedBy("this")
    private @Nullable FileChannel lockChannel;

    /** A store at {@code file}; its directory must exist. Takes the lock or throws. */
    public FileStore(Path file) {
        this(file, Clock.systemUTC());
    }

    /**
     * As {@link #FileStore(Path)}, dating moved-aside files with {@code clock}.
     *
     * @throws IllegalStateException when another process or another store holds the file
     * @throws UncheckedIOException when the lock file cannot be opened
     */
    public FileStore(Path file, Clock clock) {
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.clock = clock;
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the lock file " + lockFile + " of TLSRPT store " + this.file, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("TLSRPT store " + this.file + " is already open in this process (lock "
                    + lockFile + "); use one store per file");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + lockFile + " of TLSRPT store " + this.file, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("TLSRPT store " + this.file + " is in use by another process (lock "
                    + lockFile + " is held); two writers would overwrite each other's counts");
        }
        synchronized (this) {
            this.lockChannel = channel;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through it; the error that matters is the caller's.
        }
    }

    /** Releases the lock; the file stays. Further saves and loads fail. */
    @Override
    public synchronized void close() {
        if (lockChannel != null) {
            // Closing the channel releases its lock.
            closeQuietly(lockChannel);
            lockChannel = null;
        }
    }

    /** Names the file, for the recorder's log lines. */
    @Override
    public String toString() {
        return "TLSRPT file store " + file;
    }

    @GuardedBy("this")
    private void checkOpen() {
        if (lockChannel == null) {
            throw new IllegalStateException("TLSRPT store " + file + " is closed");
        }
    }

    @Override
    public synchronized void save(List<DailyAggregate> aggregates) {
        checkOpen();
        ArrayNode root = MAPPER.createArrayNode();
        for (DailyAggregate a : aggregates) {
            ObjectNode n = root.addObject();
            n.put("day", a.day().toString());
            n.set("policy", AggregateJson.policyNode(a.policy()));
            n.put("successful", a.successfulSessions());
            n.put("failed", a.failedSessions());
            n.put("overflow", a.overflowFailures());
            ArrayNode failures = n.putArray("failures");
            for (Map.Entry<SessionFailure, Long> e : a.failures().entrySet()) {
                ObjectNode fn = AggregateJson.failureNode(e.getKey());
                failures.add(fn);
                fn.put("count", e.getValue());
            }
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            writeDurably(tmp, MAPPER.writeValueAsBytes(root));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save TLSRPT counts to " + file, e);
        }
    }

    /** Writes and fsyncs: without it a rename can reach the disk before the data it names. */
    private static void writeDurably(Path path, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    /** Fsyncs the directory so the rename itself survives a power loss, where the OS allows it. */
    private static void syncDirectory(@Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows cannot open a directory as a channel; its rename is durable on NTFS anyway.
            LOG.debug("cannot fsync directory {}: {}", dir, notSupported.toString());
        }
    }

    @Override
    public synchronized List<DailyAggregate> load() {
        checkOpen();
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warn("cannot read TLSRPT counts file {} ({}); counting starts from zero", file, e.toString());
            return List.of();
        }
        try {
            return parse(bytes);
        } catch (IOException | RuntimeException e) {
            return moveAside(bytes.length == 0 ? "empty" : "unreadable: " + e.getMessage());
        }
    }

    /** Keeps a bad file for a human instead of overwriting it, and says so. */
    @GuardedBy("this")
    private List<DailyAggregate> moveAside(String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + ASIDE_STAMP.format(clock.instant()));
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn(
                    "TLSRPT counts file {} is {}; moved aside to {}, counting starts from zero",
                    file,
                    why,
                    aside.getFileName());
        } catch (IOException e) {
            LOG.warn(
                    "TLSRPT counts file {} is {} and cannot be moved aside ({}); counting starts from zero",
                    file,
                    why,
                    e.toString());
        }
        return List.of();
    }

    private List<DailyAggregate> parse(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("empty file");
        }
        JsonNode root = MAPPER.readTree(bytes);
        if (root == null || !root.isArray()) {
            throw new IOException("not a JSON array");
        }
        List<DailyAggregate> out = new ArrayList<>();
        for (JsonNode n : root) {
            Map<SessionFailure, Long> failures = new LinkedHashMap<>();
            for (JsonNode fn : n.get("failures")) {
                failures.put(AggregateJson.failure(fn), fn.get("count").asLong());
            }
            out.add(new DailyAggregate(
                    LocalDate.parse(n.get("day").asText()),
                    AggregateJson.policy(n.get("policy")),
                    n.get("successful").asLong(),
                    n.get("failed").asLong(),
                    failures,
                    n.get("overflow").asLong()));
        }
        return out;
    }
}
