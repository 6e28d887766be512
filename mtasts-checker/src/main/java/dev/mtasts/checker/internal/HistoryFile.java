package dev.mtasts.checker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.PolicyHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link PolicyHistory#file(Path)}: a text file, one {@code domain id sha256} line per entry, read on
 * every call (so several histories on one file agree) and rewritten whole through a temporary file
 * moved into place, so a reader never sees half a file. Lines that do not have three fields are
 * skipped (a hand-edited file does not stop the checker) and dropped on the next rewrite.
 */
public final class HistoryFile implements PolicyHistory {
    private static final String HEADER = "# mtasts checker policy history: domain id sha256-of-body";

    private final Path file;
    private final Object lock = new Object();

    /** A history kept in {@code file}, created when first written. */
    public HistoryFile(Path file) {
        this.file = requireNonNull(file, "file").toAbsolutePath();
    }

    @Override
    public Optional<String> bodyHash(String domain, String id) {
        HistoryKey key = HistoryKey.of(domain, id);
        synchronized (lock) {
            return Optional.ofNullable(read().get(key));
        }
    }

    @Override
    public void remember(String domain, String id, String bodySha256) {
        HistoryKey key = HistoryKey.of(domain, id);
        String hash = HistoryKey.checkHash(bodySha256);
        synchronized (lock) {
            Map<HistoryKey, String> entries = read();
            if (hash.equals(entries.put(key, hash))) {
                return; // unchanged: no rewrite
            }
            write(entries);
        }
    }

    private Map<HistoryKey, String> read() {
        Map<HistoryKey, String> entries = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (NoSuchFileException e) {
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policy history " + file, e);
        }
        for (String line : lines) {
            String[] parts = line.strip().split("[ \\t]+", -1);
            if (line.startsWith("#") || parts.length != 3) {
                continue;
            }
            try {
                entries.put(HistoryKey.of(parts[0], parts[1]), HistoryKey.checkHash(parts[2]));
            } catch (IllegalArgumentException e) {
                // a damaged line: skipped, as the class comment says
            }
        }
        return entries;
    }

    private void write(Map<HistoryKey, String> entries) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        entries.forEach((k, hash) -> sb.append(k.domain())
                .append(' ')
                .append(k.id())
                .append(' ')
                .append(hash)
                .append('\n'));
        Path dir = file.getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
            try {
                Files.writeString(temp, sb, UTF_8);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the policy history " + file, e);
        }
    }
}
