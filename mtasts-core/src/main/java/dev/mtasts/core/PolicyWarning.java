package dev.mtasts.core;

import static java.util.Objects.requireNonNull;

/**
 * Something a valid policy did that the parser tolerated, with the 1-based line it concerns.
 *
 * @param code what kind of warning
 * @param line the 1-based policy line
 * @param message a sentence for people
 */
public record PolicyWarning(Code code, int line, String message) {

    /** The kinds of warning a policy can carry. */
    public enum Code {
        /** {@code max_age} exceeded 31557600 seconds and was capped to it (RFC 8461 §3.2). */
        MAX_AGE_CAPPED,
        /** A non-{@code mx} field was repeated; the first one governs (RFC 8461 §3.2). */
        DUPLICATE_FIELD,
        /** An {@code mx} label starts with {@code xn--} but is not valid Punycode. */
        MX_INVALID_PUNYCODE
    }

    /** Checks for null. */
    public PolicyWarning {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return code + " (line " + line + "): " + message;
    }
}
