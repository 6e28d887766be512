package dev.mtasts.core;

import java.util.Optional;

/** A policy's {@code mode} (RFC 8461 §3.2, §5). */
public enum Mode {
    /** Deliver only to matching MX hosts over TLS with a validated certificate. */
    ENFORCE("enforce"),
    /** Deliver as without a policy, but report failures (TLSRPT). */
    TESTING("testing"),
    /** No active policy: deliver as without MTA-STS. */
    NONE("none");

    private final String token;

    Mode(String token) {
        this.token = token;
    }

    /** The value as written in a policy file, e.g. {@code enforce}. */
    public String token() {
        return token;
    }

    /** The mode whose token is exactly {@code token} (case-sensitive, RFC 8461 §3.2). */
    public static Optional<Mode> fromToken(String token) {
        return switch (token) {
            case "enforce" -> Optional.of(ENFORCE);
            case "testing" -> Optional.of(TESTING);
            case "none" -> Optional.of(NONE);
            default -> Optional.empty();
        };
    }
}
