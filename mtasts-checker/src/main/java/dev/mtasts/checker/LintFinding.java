package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

/**
 * A finding of {@link Lint} with where in the input it is, for messages of the form {@code
 * FILE:LINE:COLUMN}.
 *
 * @param finding the finding, exactly as a domain check makes it
 * @param line the 1-based line of a policy, 0 when the finding concerns no single line (a record is
 *     one line; its findings have line 0)
 * @param column the 1-based column, 0 when unknown
 */
public record LintFinding(Finding finding, int line, int column) {
    /** Validates. */
    public LintFinding {
        requireNonNull(finding, "finding");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column are 0 or positive: " + line + ", " + column);
        }
    }

    /** A finding that concerns no particular line or column. */
    public static LintFinding of(Finding finding) {
        return new LintFinding(finding, 0, 0);
    }
}
