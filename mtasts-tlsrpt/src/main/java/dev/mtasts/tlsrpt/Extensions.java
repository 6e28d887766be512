package dev.mtasts.tlsrpt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Copies unknown-member maps, keeping their order so re-serialisation is stable. */
final class Extensions {
    private Extensions() {}

    static Map<String, String> copy(Map<String, String> source) {
        Objects.requireNonNull(source, "extensions");
        if (source.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        source.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "extension name"), Objects.requireNonNull(v, k)));
        return Collections.unmodifiableMap(copy);
    }
}
