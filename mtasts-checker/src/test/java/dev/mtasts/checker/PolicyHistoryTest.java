package dev.mtasts.checker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PolicyHistory}: the memory the {@code sts.id.drift} check compares against. */
final class PolicyHistoryTest {
    private static final String H1 = "a".repeat(64);
    private static final String H2 = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private void rememberAndRead(Supplier<PolicyHistory> fresh) {
        PolicyHistory history = fresh.get();
        assertThat(history.bodyHash("example.com", "id1")).isEmpty();
        history.remember("example.com", "id1", H1);
        history.remember("example.com", "id2", H2);
        history.remember("example.org", "id1", H2);
        assertThat(history.bodyHash("example.com", "id1")).contains(H1);
        assertThat(history.bodyHash("EXAMPLE.com", "id1"))
                .as("domains ignore case")
                .contains(H1);
        assertThat(history.bodyHash("example.com", "ID1"))
                .as("ids are case-sensitive")
                .isEmpty();
        assertThat(history.bodyHash("example.org", "id1")).contains(H2);
        history.remember("example.com", "id1", H2.toUpperCase(java.util.Locale.ROOT));
        assertThat(history.bodyHash("example.com", "id1"))
                .as("replaced, stored in lower case")
                .contains(H2);
    }

    // RFC 8461 §3.1: the id names one policy version; the history remembers each one's body hash.
    @Test
    void inMemory_remembersPerDomainAndId() {
        rememberAndRead(PolicyHistory::inMemory);
    }

    // RFC 8461 §3.1: the same in a file.
    @Test
    void file_remembersPerDomainAndId() {
        Path file = dir.resolve("history.txt");
        rememberAndRead(() -> PolicyHistory.file(file));
    }

    // A file survives the process: a new history on the same file sees what the last one wrote.
    @Test
    void file_isReadBackByAnotherInstanceAndHasOneLinePerEntry() throws Exception {
        Path file = dir.resolve("sub/history.txt");
        PolicyHistory first = PolicyHistory.file(file);
        assertThat(file).doesNotExist();
        first.remember("example.com", "20260101", H1);
        assertThat(PolicyHistory.file(file).bodyHash("example.com", "20260101")).contains(H1);
        assertThat(Files.readAllLines(file, UTF_8))
                .filteredOn(l -> !l.startsWith("#"))
                .containsExactly("example.com 20260101 " + H1);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    // A hand-edited file with a damaged line still works; the line is skipped.
    @Test
    void file_skipsDamagedLines() throws Exception {
        Path file = dir.resolve("history.txt");
        Files.writeString(file, "garbage\nexample.com id1 nothex\nexample.com id2 " + H2 + "\n", UTF_8);
        PolicyHistory history = PolicyHistory.file(file);
        assertThat(history.bodyHash("example.com", "id1")).isEmpty();
        assertThat(history.bodyHash("example.com", "id2")).contains(H2);
    }

    // Thread-safe: concurrent writers through one instance lose nothing.
    @Test
    void file_concurrentWritersLoseNothing() throws Exception {
        PolicyHistory history = PolicyHistory.file(dir.resolve("history.txt"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> history.remember("d" + n + ".example", "id" + n, H1)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < 40; i++) {
            assertThat(history.bodyHash("d" + i + ".example", "id" + i)).contains(H1);
        }
    }

    // A key with white space would break the one-line format; a hash must be SHA-256 hex.
    @Test
    void badArguments_refused() {
        PolicyHistory history = PolicyHistory.inMemory();
        assertThatThrownBy(() -> history.remember("example .com", "id", H1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.remember("example.com", "", H1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.remember("example.com", "id", "abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // A file that cannot be written is reported as such, never silently dropped.
    @Test
    void file_unwritable_throwsUnchecked() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x", UTF_8);
        PolicyHistory history = PolicyHistory.file(blocker.resolve("history.txt"));
        assertThatThrownBy(() -> history.remember("example.com", "id", H1)).isInstanceOf(UncheckedIOException.class);
    }
}
