package dev.mtasts.tlsrpt.internal;

import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.ReportWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects deviations while one document is read: in strict mode the first one throws, in lenient
 * mode each becomes a warning (RPT-READ-1). Not thread-safe: one per read.
 */
public final class Findings {
    /**
     * Warnings kept per reading; the rest are only counted (RPT-JSON-6, RW-21): a small gzip can
     * otherwise produce millions of them.
     */
    public static final int MAX_WARNINGS = 1000;

    private final ReadMode mode;
    /** Records every deviation, even in strict mode, to be replayed later in document order. */
    private final boolean deferring;

    private final List<ReportWarning> warnings = new ArrayList<>();
    private long suppressed;

    /** Findings for a read in {@code mode}. */
    public Findings(ReadMode mode) {
        this(mode, false);
    }

    private Findings(ReadMode mode, boolean deferring) {
        this.mode = mode;
        this.deferring = deferring;
    }

    /**
     * A buffer for a part of the document read out of order (streamed arrays are read where they
     * appear, checked where the tree reader checked them): it never throws; {@link #replayInto}
     * reports its deviations later, so strict mode still fails on the same first deviation.
     */
    Findings deferred() {
        return new Findings(mode, true);
    }

    /** Reports the buffered deviations to {@code target}, in order (strict: the first throws). */
    void replayInto(Findings target) {
        for (ReportWarning w : warnings) {
            target.deviation(w.issue(), w.location(), w.message());
        }
        target.suppressed += suppressed;
    }

    /** Forgets the buffered deviations: an error found later would have been reported before them. */
    void clear() {
        warnings.clear();
        suppressed = 0;
    }

    /** A tolerated deviation: a warning when lenient, an exception when strict. */
    public void deviation(ReportIssue issue, String location, String message) {
        if (mode == ReadMode.STRICT && !deferring) {
            throw new ReportFormatException(issue, location, message);
        }
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(new ReportWarning(issue, location, message));
        } else {
            suppressed++;
        }
    }

    /**
     * The warnings so far: at most {@link #MAX_WARNINGS}, then one {@link
     * ReportIssue#WARNINGS_TRUNCATED} warning counting the rest.
     */
    public List<ReportWarning> warnings() {
        if (suppressed == 0) {
            return List.copyOf(warnings);
        }
        List<ReportWarning> out = new ArrayList<>(warnings);
        out.add(new ReportWarning(
                ReportIssue.WARNINGS_TRUNCATED,
                "",
                suppressed + " further warnings not kept (at most " + MAX_WARNINGS + " per reading)"));
        return List.copyOf(out);
    }

    /** An error no mode tolerates. */
    public static ReportFormatException error(ReportIssue issue, String location, String message) {
        return new ReportFormatException(issue, location, message);
    }

    /** Quotes untrusted text for messages, cut to a readable length (§7). */
    public static String quote(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
