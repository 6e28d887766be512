package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One MX host of the domain.
 *
 * @param host the exchange name, lower case, no trailing dot
 * @param preference the MX preference (0 for the implicit MX)
 * @param implicit whether this is the implicit MX (the domain itself, no MX records)
 * @param addresses every A and AAAA address, each with its probe
 * @param covered whether a policy pattern matches the host under the one-label rule
 * @param matchingPattern the first pattern that matches it
 */
public record MxHostFacts(
        String host,
        int preference,
        boolean implicit,
        List<MxAddressFacts> addresses,
        boolean covered,
        Optional<String> matchingPattern) {

    /** Validates and copies. */
    public MxHostFacts {
        requireNonNull(host, "host");
        addresses = List.copyOf(addresses);
        requireNonNull(matchingPattern, "matchingPattern");
    }
}
