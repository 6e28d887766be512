package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One thing the checker found.
 *
 * @param check what was checked (its {@link Check#id() stable ID} and RFC section)
 * @param severity how much it matters
 * @param message one sentence a domain owner understands, naming the record, line or column
 * @param evidence what was seen: the record, the line, the certificate name, the server's answer
 * @param lenient whether the finding rests on a lenient re-reading of input the strict parse
 *     rejected (so later checks could go on); a sender would have stopped before it
 */
public record Finding(Check check, Severity severity, String message, List<String> evidence, boolean lenient) {

    /** Validates and copies. */
    public Finding {
        requireNonNull(check, "check");
        requireNonNull(severity, "severity");
        requireNonNull(message, "message");
        evidence = List.copyOf(evidence);
    }

    /** A finding from a strict reading. */
    public static Finding of(Check check, Severity severity, String message, String... evidence) {
        return new Finding(check, severity, message, List.of(evidence), false);
    }

    /** The stable ID, {@code check().id()}. */
    public String id() {
        return check.id();
    }

    /** The RFC section, {@code check().rfc()}. */
    public String rfc() {
        return check.rfc();
    }

    /** This finding marked as resting on a lenient re-reading. */
    public Finding asLenient() {
        return new Finding(check, severity, message, evidence, true);
    }
}
