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
        PolicyStore store = PolicyStore.file(directory);
        CachedPolicy entry = CachedPolicy.of("example.com", "20260101", POLICY, FETCHED);
        store.put(entry);
        PolicyStore reopened = PolicyStore.file(directory);
        assertThat(reopened.get("example.com")).contains(entry);
        assertThat(reopened.all()).containsExactly(entry);
        assertThat(reopened.get("example.com").orElseThrow().policy().lines()).isEqualTo(POLICY.lines());
    }

    @Test
    void put_replacesAtomicallyWithoutLeftovers() throws Exception {
        PolicyStore store = PolicyStore.file(directory);
        store.put(CachedPolicy.of("example.com", "1", POLICY, FETCHED));
        store.put(CachedPolicy.of("example.com", "2", POLICY, FETCHED));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("example.com.policy");
        }
        assertThat(PolicyStore.file(directory).get("example.com").orElseThrow().id())
                .isEqualTo("2");
    }

    @Test
    void remove_deletesTheFile() {
        PolicyStore store = PolicyStore.file(directory);
        store.put(CachedPolicy.of("example.com", "1", POLICY, FETCHED));
        store.remove("example.com");
        store.remove("never.example");
        assertThat(store.get("example.com")).isEmpty();
        assertThat(PolicyStore.file(directory).all()).isEmpty();
    }

    @Test
    void open_skipsCorruptFiles() throws Exception {
        Files.writeString(directory.resolve("bad.example.policy"), "garbage", StandardCharsets.UTF_8);
        Files.writeString(
                directory.resolve("worse.example.policy"),
                FilePolicyStore.MAGIC
                        + "\ndomain: worse.example\nid: 1\nfetched-at: never\nexpires-at: x\n\nversion: STSv1\n",
                StandardCharsets.UTF_8);
        PolicyStore.file(directory.resolve("sub")).put(CachedPolicy.of("ok.example", "1", POLICY, FETCHED));
        assertThat(PolicyStore.file(directory).all()).isEmpty();
        assertThat(PolicyStore.file(directory.resolve("sub")).all()).hasSize(1);
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
        PolicyStore store = PolicyStore.file(directory);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.put(CachedPolicy.of("../etc", "1", POLICY, FETCHED)))
                .withMessageContaining("../etc");
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
        PolicyStore.file(directory).put(CachedPolicy.of("example.com", "1", POLICY, FETCHED));
        Path stale = directory.resolve(FilePolicyStore.TEMP_PREFIX + "12345" + FilePolicyStore.TEMP_SUFFIX);
        Files.writeString(stale, "", StandardCharsets.UTF_8);
        Path foreign = Files.writeString(directory.resolve("notes.txt"), "keep me");
        PolicyStore reopened = PolicyStore.file(directory);
        assertThat(stale).doesNotExist();
        assertThat(foreign).exists();
        assertThat(reopened.get("example.com").orElseThrow().id()).isEqualTo("1");
    }

    @Test
    void put_writesTheWholeFileUnderItsName() throws Exception {
        // STS-CACHE-10: the file on disk is exactly the formatted entry (written through a channel and forced)
        PolicyStore store = PolicyStore.file(directory);
        CachedPolicy entry = CachedPolicy.of("example.com", "1", POLICY, FETCHED);
        store.put(entry);
        assertThat(Files.readString(directory.resolve("example.com" + FilePolicyStore.SUFFIX)))
                .isEqualTo(FilePolicyStore.format(entry));
    }
}
