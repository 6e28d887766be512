package dev.mtasts.checker;

/** How much a finding matters, the checker catalogue's E, W and I. */
public enum Severity {
    /** Compliant senders (this SDK's included) lose the policy or the reports, or apply them wrongly. */
    ERROR("E"),
    /** Works, but is risky, non-standard, or handled differently by some senders. */
    WARNING("W"),
    /** Information. */
    INFO("I");

    private final String letter;

    Severity(String letter) {
        this.letter = letter;
    }

    /** The catalogue's letter: {@code E}, {@code W} or {@code I}. */
    public String letter() {
        return letter;
    }

    /** Whether this is at least as serious as {@code other} ({@code ERROR} is the most serious). */
    public boolean atLeast(Severity other) {
        return compareTo(other) <= 0;
    }
}
