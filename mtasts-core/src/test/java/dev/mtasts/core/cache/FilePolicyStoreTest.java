package dev.mtasts.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Policy;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FilePolicyStoreTest {
    private static final Policy POLICY =
            Policy.parse("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 86400\n");
    private static final Instant FETCHED = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path directory;

    @Test
    void put_survivesRestart() {
        // STS-CACHE-10, RFC 8461 §10.2: a restarted MTA keeps its policies
        CachedPolicy entry = CachedPolicy.of("example.com", "20260101", POLICY, FETCHED);
        try (PolicyStore store = PolicyStore.file(directory)) {
            store.put(entry);
        }
        try (PolicyStore reopened = PolicyStore.file(directory)) {
            assertThat(reopened.get("example.com")).contains(entry);
            assertThat(reopened.all()).containsExactly(entry);
            assertThat(reopened.get("example.com").orElseThrow().policy().lines())
                    .isEqualTo(POLICY.lines());
        }
    }

    @Test
    void put_replacesAtomicallyWithoutLeftovers() throws Exception {
        try (PolicyStore store = PolicyStore.file(directory)) {
            store.put(CachedPolicy.of("example.com", "1", POLICY, FETCHED));
            store.put(CachedPolicy.of("example.com", "2", POLICY, FETCHED));
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("example.com.policy", FilePolicyStore.LOCK_FILE);
        }
        try (PolicyStore reopened = PolicyStore.file(directory)) {
            assertThat(reopened.get("example.com").orElseThrow().id()).isEqualTo("2");
        }
    }

    @Test
    void remove_deletesTheFile() {
        try (PolicyStore store = PolicyStore.file(directory)) {
            store.put(CachedPolicy.of("example.com", "1", POLICY, FETCHED));
            store.remove("example.com");
            store.remove("never.example");
            assertThat(store.get("example.com")).isEmpty();
        }
        try (PolicyStore reopened = PolicyStore.file(directory)) {
            assertThat(reopened.all()).isEmpty();
        }
    }

    @Test
    void open_skipsCorruptFiles() throws Exception {
        Files.writeString(directory.resolve("bad.example.policy"), "garbage", StandardCharsets.UTF_8);
        Files.writeString(
                directory.resolve("worse.example.policy"),
                FilePolicyStore.MAGIC
                        + "\ndomain: worse.example\nid: 1\nfetched-at: never\nexpires-at: x\n\nversion: STSv1\n",
                StandardCharsets.UTF_8);
        try (PolicyStore sub = PolicyStore.file(directory.resolve("sub"));
                PolicyStore store = PolicyStore.file(directory)) {
            sub.put(CachedPolicy.of("ok.example", "1", POLICY, FETCHED));
            assertThat(store.all()).isEmpty();
            assertThat(sub.all()).hasSize(1);
        }
    }

    @Test
    void parse_reportsMissingFields() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FilePolicyStore.parse(FilePolicyStore.MAGIC + "\nid: 1\n\nversion: STSv1\n", "f"))
                .withMessageContaining("missing header field");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FilePolicyStore.parse(FilePolicyStore.MAGIC + "\nno colon\n\nx", "f"))
                .withMessageContaining("malformed header line");
    }

    @Test
    void parse_ignoresUnknownHeaderFields() {
        String text = FilePolicyStore.format(CachedPolicy.of("example.com", "1", POLICY, FETCHED))
                .replace("id: 1\n", "id: 1\nfuture: yes\n");
        assertThat(FilePolicyStore.parse(text, "f").id()).isEqualTo("1");
    }

    @Test
    void put_refusesNamesThatAreNotDomains() {
        try (PolicyStore store = PolicyStore.file(directory)) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> store.put(CachedPolicy.of("../etc", "1", POLICY, FETCHED)))
                    .withMessageContaining("../etc");
        }
    }

    @Test
    void open_failsOnAFile() throws Exception {
        Path file = Files.writeString(directory.resolve("plain"), "x");
        assertThatThrownBy(() -> PolicyStore.file(file)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void open_deletesTemporaryFilesLeftByACrash() throws Exception {
        // STS-CACHE-10, RFC 8461 §10.2: a crash between write and rename leaves a temporary file; it is
        // removed on open and never read as a policy, while the policies and foreign files stay
        try (PolicyStore store = PolicyStore.file(directory)) {
            store.put(CachedPolicy.of("example.com", "1", POLICY, FETCHED));
        }
        Path stale = directory.resolve(FilePolicyStore.TEMP_PREFIX + "12345" + FilePolicyStore.TEMP_SUFFIX);
        Files.writeString(stale, "", StandardCharsets.UTF_8);
        Path foreign = Files.writeString(directory.resolve("notes.txt"), "keep me");
        try (PolicyStore reopened = PolicyStore.file(directory)) {
            assertThat(stale).doesNotExist();
            assertThat(foreign).exists();
            assertThat(reopened.get("example.com").orElseThrow().id()).isEqualTo("1");
        }
    }

    @Test
    void put_writesTheWholeFileUnderItsName() throws Exception {
        // STS-CACHE-10: the file on disk is exactly the formatted entry (written through a channel and forced)
        CachedPolicy entry = CachedPolicy.of("example.com", "1", POLICY, FETCHED);
        try (PolicyStore store = PolicyStore.file(directory)) {
            store.put(entry);
        }
        assertThat(Files.readString(directory.resolve("example.com" + FilePolicyStore.SUFFIX)))
                .isEqualTo(FilePolicyStore.format(entry));
    }

    @Test
    void open_secondStoreOnTheSameDirectoryInThisJvm_isRefusedUntilTheFirstCloses() {
        // STS-CACHE-10: a second store would delete the first one's temporary files mid-write
        try (PolicyStore first = PolicyStore.file(directory)) {
            assertThatThrownBy(() -> PolicyStore.file(directory))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(directory.toString())
                    .hasMessageContaining("in use");
            first.put(CachedPolicy.of("example.com", "1", POLICY, FETCHED)); // the refusal left the lock alone
        }
        try (PolicyStore second = PolicyStore.file(directory)) {
            assertThat(second.get("example.com")).isPresent();
        }
    }

    @Test
    void close_isIdempotentAndRefusesLaterWrites() {
        PolicyStore store = PolicyStore.file(directory);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.put(CachedPolicy.of("example.com", "1", POLICY, FETCHED)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.remove("example.com")).isInstanceOf(IllegalStateException.class);
        PolicyStore.inMemory().close(); // nothing to release
    }

    @Test
    void open_directoryHeldByAnotherProcess_isRefused() throws Exception {
        // STS-CACHE-10: two MTA processes on one directory; the lock is the operating system's
        try (StoreHolderProcess holder = StoreHolderProcess.start(directory)) {
            assertThatThrownBy(() -> PolicyStore.file(directory))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(directory.toString())
                    .hasMessageContaining("another process");
            holder.release();
        }
        try (PolicyStore store = PolicyStore.file(directory)) {
            assertThat(store.all()).isEmpty();
        }
    }
}
