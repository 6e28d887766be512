package dev.mtasts.checker.internal;

import dev.mtasts.checker.PolicyHistory;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@link PolicyHistory#inMemory()}: a concurrent map keyed by domain and id. */
public final class HistoryInMemory implements PolicyHistory {
    private final ConcurrentMap<HistoryKey, String> hashes = new ConcurrentHashMap<>();

    /** An empty history. */
    public HistoryInMemory() {}

    @Override
    public Optional<String> bodyHash(String domain, String id) {
        return Optional.ofNullable(hashes.get(HistoryKey.of(domain, id)));
    }

    @Override
    public void remember(String domain, String id, String bodySha256) {
        hashes.put(HistoryKey.of(domain, id), HistoryKey.checkHash(bodySha256));
    }
}
