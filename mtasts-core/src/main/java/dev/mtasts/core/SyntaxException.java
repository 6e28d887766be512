package dev.mtasts.core;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Thrown when a policy file, TXT record or MX pattern breaks its grammar; the message names where
 * (line, column, field) and which rule was broken.
 *
 * <p>Every parser in this SDK throws this type, and only this type, for bad input.
 */
public final class SyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What kind of text was being parsed. */
    public enum Subject {
        /** The policy file served at {@code /.well-known/mta-sts.txt} (RFC 8461 §3.2). */
        POLICY("MTA-STS policy"),
        /** The {@code _mta-sts} TXT record (RFC 8461 §3.1). */
        STS_RECORD("_mta-sts TXT record"),
        /** One {@code mx} pattern (RFC 8461 §3.2, §4.1). */
        MX_PATTERN("mx pattern"),
        /** The {@code _smtp._tls} TXT record (RFC 8460 §3). */
        TLSRPT_RECORD("_smtp._tls TXT record");

        private final String label;

        Subject(String label) {
            this.label = label;
        }

        /** A short human name, as used in messages. */
        public String label() {
            return label;
        }
    }

    private final Subject subject;
    private final int line;
    private final int column;
    private final String field;
    private final String reason;
    private final String rule;

    private SyntaxException(Subject subject, int line, int column, String field, String reason, String rule) {
        super(format(subject, line, column, field, reason, rule));
        this.subject = subject;
        this.line = line;
        this.column = column;
        this.field = field;
        this.reason = reason;
        this.rule = rule;
    }

    /** An error located by 1-based line (policy files) and the field it concerns ({@code ""} if none). */
    public static SyntaxException atLine(Subject subject, int line, String field, String reason, String rule) {
        return new SyntaxException(subject, line, 0, field, reason, rule);
    }

    /** An error located by 1-based column (records, patterns) and the field it concerns ({@code ""} if none). */
    public static SyntaxException atColumn(Subject subject, int column, String field, String reason, String rule) {
        return new SyntaxException(subject, 0, column, field, reason, rule);
    }

    /** An error about the text as a whole, such as a missing required field. */
    public static SyntaxException whole(Subject subject, String field, String reason, String rule) {
        return new SyntaxException(subject, 0, 0, field, reason, rule);
    }

    /**
     * The same error, reported against another subject (a pattern error inside a policy line): at
     * {@code newLine}, with the column shifted by {@code columnOffset} characters.
     */
    SyntaxException relocate(Subject newSubject, int newLine, int columnOffset) {
        return new SyntaxException(newSubject, newLine, column > 0 ? column + columnOffset : 0, field, reason, rule);
    }

    private static String format(Subject subject, int line, int column, String field, String reason, String rule) {
        StringBuilder sb = new StringBuilder(subject.label());
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (column > 0) {
            sb.append(", column ").append(column);
        }
        if (!field.isEmpty()) {
            sb.append(", field '").append(field).append('\'');
        }
        return sb.append(": ")
                .append(reason)
                .append(" [")
                .append(rule)
                .append(']')
                .toString();
    }

    /** What was being parsed. */
    public Subject subject() {
        return subject;
    }

    /** The 1-based line of the error, for policy files. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The 1-based column of the error, for records and patterns. */
    public OptionalInt column() {
        return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }

    /** The field name concerned ({@code mode}, {@code id}, ...), if any. */
    public Optional<String> field() {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }

    /** Why the input was refused, without location. */
    public String reason() {
        return reason;
    }

    /** The rule broken, as an RFC section ({@code "RFC 8461 §3.2"}). */
    public String rule() {
        return rule;
    }
}
