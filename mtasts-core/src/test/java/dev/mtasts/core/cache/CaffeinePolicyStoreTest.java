package dev.mtasts.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mtasts.core.Policy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class CaffeinePolicyStoreTest {
    private static final Policy POLICY = Policy.parse("version: STSv1\nmode: none\nmax_age: 60\n");
    private static final Instant FETCHED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void putGetRemove() {
        PolicyStore store = PolicyStore.inMemory();
        CachedPolicy entry = CachedPolicy.of("example.com", "1", POLICY, FETCHED);
        store.put(entry);
        assertThat(store.get("example.com")).contains(entry);
        assertThat(store.all()).containsExactly(entry);
        store.remove("example.com");
        assertThat(store.get("example.com")).isEmpty();
    }

    @Test
    void inMemory_isBounded() {
        // STS-CACHE-8: bounded size
        PolicyStore store = PolicyStore.inMemory(2);
        for (int i = 0; i < 50; i++) {
            store.put(CachedPolicy.of("d" + i + ".example", "1", POLICY, FETCHED));
        }
        assertThat(store.all().size()).isLessThanOrEqualTo(2);
    }

    @Test
    void inMemory_rejectsZeroSize() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PolicyStore.inMemory(0))
                .withMessageContaining("0");
    }

    @Test
    void cachedPolicy_expiryFromFetch() {
        // STS-CACHE-1: expiresAt = fetchedAt + max_age
        CachedPolicy entry = CachedPolicy.of("example.com", "1", POLICY, FETCHED);
        assertThat(entry.expiresAt()).isEqualTo(FETCHED.plusSeconds(60));
        assertThat(entry.isValidAt(FETCHED.plusSeconds(59))).isTrue();
        assertThat(entry.isValidAt(FETCHED.plusSeconds(60))).isFalse();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CachedPolicy("example.com", "1", POLICY, FETCHED, FETCHED.minusSeconds(1)))
                .withMessageContaining("before fetchedAt");
    }
}
