package dev.mtasts.core.cache;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PolicyStore} keeping one small text file per domain, {@code <domain>.policy}, with an
 * in-memory copy for reads. A file is a header ({@code mtasts-cache 1}, then {@code domain:}, {@code
 * id:}, {@code fetched-at:}, {@code expires-at:} lines), an empty line and the policy text as
 * fetched. A write goes to a temporary file in the same directory, is forced to disk, atomically
 * renamed over the old file, and then the directory itself is forced (best effort: some platforms
 * cannot open a directory), so that after a crash or power loss the file holds the old or the new
 * policy, never an empty or partial one (STS-CACHE-10, RFC 8461 §10.2). Temporary files a crash
 * left behind are deleted on open, so one directory must belong to one store: opening takes an
 * exclusive lock on {@value #LOCK_FILE} in the directory, held until {@link #close()}, and a second
 * opener (another process, or another store in this JVM) is refused. Thread-safe: writes are
 * serialised, reads are lock-free.
 */
final class FilePolicyStore implements PolicyStore {
    private static final Logger LOG = LoggerFactory.getLogger(FilePolicyStore.class);
    static final String MAGIC = "mtasts-cache 1";
    static final String SUFFIX = ".policy";
    static final String TEMP_PREFIX = ".tmp-";
    static final String TEMP_SUFFIX = SUFFIX + ".tmp";
    static final String LOCK_FILE = "mtasts-cache.lock";
    /**
     * Directories with an open store in this JVM. Checked before the lock file is even opened: on
     * POSIX systems closing any descriptor of a file drops every lock the process holds on it, so a
     * refused second opener must not open and close the lock file.
     */
    private static final Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Path key;
    private final FileLock lock;
    private final ConcurrentHashMap<String, CachedPolicy> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private FilePolicyStore(Path directory, Path key, FileLock lock) {
        this.directory = directory;
        this.key = key;
        this.lock = lock;
    }

    static FilePolicyStore open(Path directory) {
        requireNonNull(directory, "directory");
        Path key;
        try {
            Files.createDirectories(directory);
            key = directory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the MTA-STS policy store in " + directory, e);
        }
        if (!OPEN_IN_THIS_JVM.add(key)) {
            throw inUse(directory, "another PolicyStore in this JVM");
        }
        FilePolicyStore store;
        try {
            store = new FilePolicyStore(directory, key, lock(directory));
        } catch (RuntimeException e) {
            OPEN_IN_THIS_JVM.remove(key);
            throw e;
        }
        try {
            load(store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static IllegalStateException inUse(Path directory, String holder) {
        return new IllegalStateException("the MTA-STS policy store directory " + directory + " is in use by " + holder
                + " (it holds " + LOCK_FILE + "): one directory serves one store at a time");
    }

    /** Takes the directory's exclusive lock; the channel stays open as long as the lock is held. */
    private static FileLock lock(Path directory) {
        Path file = directory.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lock file " + file, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(directory, "another process");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            // Only code outside this class locking the same file in this JVM gets here.
            throw inUse(directory, "other code in this JVM");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("cannot close {}: {}", channel, e.toString());
        }
    }

    /** Releases the directory's lock; the store refuses writes afterwards. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            closeQuietly(lock.channel()); // closing the channel releases the lock
            OPEN_IN_THIS_JVM.remove(key);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the MTA-STS policy store in " + directory + " is closed");
        }
    }

    private static void load(FilePolicyStore store) {
        Path directory = store.directory;
        try {
            deleteStaleTemporaryFiles(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
                for (Path file : files) {
                    try {
                        CachedPolicy entry = read(file);
                        store.entries.put(entry.domain(), entry);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("skipping unreadable MTA-STS cache file {}: {}", file, e.toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the MTA-STS policy store in " + directory, e);
        }
    }

    @Override
    public Optional<CachedPolicy> get(String domain) {
        return Optional.ofNullable(entries.get(requireNonNull(domain, "domain")));
    }

    @Override
    public synchronized void put(CachedPolicy policy) {
        checkOpen();
        Path target = fileFor(policy.domain());
        try {
            Path temporary = Files.createTempFile(directory, TEMP_PREFIX, TEMP_SUFFIX);
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    ByteBuffer bytes = ByteBuffer.wrap(format(policy).getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    // Data and size on disk before the rename makes the file visible under its name.
                    channel.force(true);
                }
                move(temporary, target);
            } finally {
                Files.deleteIfExists(temporary);
            }
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        entries.put(policy.domain(), policy);
    }

    @Override
    public synchronized void remove(String domain) {
        checkOpen();
        Path target = fileFor(domain);
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + target, e);
        }
        forceDirectory();
        entries.remove(domain);
    }

    @Override
    public Collection<CachedPolicy> all() {
        return List.copyOf(entries.values());
    }

    /** Makes the last rename or delete durable: the directory entry is what a power loss can undo. */
    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows and some file systems refuse to open or force a directory: best effort.
            LOG.debug("cannot force the MTA-STS cache directory {} to disk: {}", directory, e.toString());
        }
    }

    /** Temporary files are only ever left behind by a crash between create and rename. */
    private static void deleteStaleTemporaryFiles(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path file : files) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("cannot delete the stale MTA-STS cache file {}: {}", file, e.toString());
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to + " cannot rename atomically", e);
        }
    }

    private Path fileFor(String domain) {
        requireNonNull(domain, "domain");
        // Policy domains are lower-case LDH names; anything else must not become a path.
        if (domain.isEmpty() || domain.startsWith(".") || !domain.chars().allMatch(FilePolicyStore::isNameChar)) {
            throw new IllegalArgumentException("not a lower-case A-label domain: \"" + domain + "\"");
        }
        return directory.resolve(domain + SUFFIX);
    }

    private static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }

    static String format(CachedPolicy entry) {
        return MAGIC + "\n"
                + "domain: " + entry.domain() + "\n"
                + "id: " + entry.id() + "\n"
                + "fetched-at: " + entry.fetchedAt() + "\n"
                + "expires-at: " + entry.expiresAt() + "\n"
                + "\n"
                + entry.policy().text();
    }

    static CachedPolicy read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    static CachedPolicy parse(String text, String source) {
        int blank = text.indexOf("\n\n");
        if (!text.startsWith(MAGIC + "\n") || blank < 0) {
            throw new IllegalArgumentException(source + ": not an MTA-STS cache file");
        }
        String domain = null;
        String id = null;
        Instant fetchedAt = null;
        Instant expiresAt = null;
        for (String line : text.substring(MAGIC.length() + 1, blank).split("\n", -1)) {
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException(source + ": malformed header line \"" + line + "\"");
            }
            String value = line.substring(colon + 2);
            try {
                switch (line.substring(0, colon)) {
                    case "domain" -> domain = value;
                    case "id" -> id = value;
                    case "fetched-at" -> fetchedAt = Instant.parse(value);
                    case "expires-at" -> expiresAt = Instant.parse(value);
                    default -> {
                        // later versions may add fields
                    }
                }
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(source + ": bad time in \"" + line + "\"", e);
            }
        }
        if (domain == null || id == null || fetchedAt == null || expiresAt == null) {
            throw new IllegalArgumentException(source + ": missing header field");
        }
        Policy policy = Policy.parse(text.substring(blank + 2));
        return new CachedPolicy(domain, id, policy, fetchedAt, expiresAt);
    }
}
