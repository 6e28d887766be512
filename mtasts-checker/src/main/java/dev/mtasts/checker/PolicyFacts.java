package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The policy file as received and as read.
 *
 * @param lines the body's lines as received, line {@code n} at index {@code n - 1}
 * @param policy the strict parse, empty when a sender would reject the file
 * @param mode the mode, from the strict parse or else a lenient re-reading
 * @param mxPatterns the {@code mx} values, from the strict parse or else a lenient re-reading
 * @param maxAge the {@code max_age}, from the strict parse or else a lenient re-reading
 * @param lenient whether {@code mode}, {@code mxPatterns} and {@code maxAge} come from the lenient
 *     re-reading (the strict parse failed)
 */
public record PolicyFacts(
        List<String> lines,
        Optional<Policy> policy,
        Optional<Mode> mode,
        List<String> mxPatterns,
        Optional<Duration> maxAge,
        boolean lenient) {

    /** Validates and copies. */
    public PolicyFacts {
        lines = List.copyOf(lines);
        requireNonNull(policy, "policy");
        requireNonNull(mode, "mode");
        mxPatterns = List.copyOf(mxPatterns);
        requireNonNull(maxAge, "maxAge");
    }
}
