package dev.mtasts.core;

import static java.util.Objects.requireNonNull;

/**
 * A field this version of the RFC does not define, kept as written: extensions are ignored by
 * senders but preserved for checkers and reports (RFC 8461 §3.1, §3.2).
 *
 * @param name the field name, as written
 * @param value the field value, as written
 */
public record Extension(String name, String value) {
    /** Validates nothing beyond non-null: parsers build these only from well-formed fields. */
    public Extension {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
    }
}
