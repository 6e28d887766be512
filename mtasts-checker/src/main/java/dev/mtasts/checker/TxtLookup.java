package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A TXT lookup as received.
 *
 * @param name the name asked, without the trailing dot
 * @param status how it ended
 * @param records each record's character-strings joined, one {@code char} per byte (ISO-8859-1)
 * @param cnameChain the names the answer went through, {@code name} first, when CNAMEs were followed
 * @param authenticated whether the resolver set the AD bit (DNSSEC-validated)
 * @param failure the resolver's answer or error when {@code status} is {@link LookupStatus#FAILED}
 */
public record TxtLookup(
        String name,
        LookupStatus status,
        List<String> records,
        List<String> cnameChain,
        boolean authenticated,
        Optional<String> failure) {

    /** Validates and copies. */
    public TxtLookup {
        requireNonNull(name, "name");
        requireNonNull(status, "status");
        records = List.copyOf(records);
        cnameChain = List.copyOf(cnameChain);
        requireNonNull(failure, "failure");
    }
}
