package dev.mtasts.cli;

import java.io.Console;
import java.io.PrintWriter;

/**
 * A one-line progress bar on standard error, {@code \r[#####     ] 512/1024}, redrawn only when it
 * changes and erased at the end so that it never mixes with the output.
 */
final class ProgressBar {
    /** Files above which a terminal gets a progress bar: a small tree is read before anyone looks. */
    static final int THRESHOLD = 200;

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final int total;
    private int done;
    private int drawnHashes = -1;
    private int drawnPercent = -1;

    private ProgressBar(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    /** Makes the bar for a known number of files, or a silent one. */
    interface Factory {
        /** The bar for {@code total} files. */
        ProgressBar start(int total);
    }

    /** No bar at all. */
    static Factory none() {
        return total -> new ProgressBar(new PrintWriter(PrintWriter.nullWriter()), 0);
    }

    /** A bar on {@code err} when {@code show} says so for the number of files. */
    static Factory on(PrintWriter err, java.util.function.IntPredicate show) {
        return total -> show.test(total) ? new ProgressBar(err, total) : none().start(total);
    }

    /**
     * Whether this process talks to an interactive terminal: before Java 22 a console exists only
     * then; from Java 22 it may exist for redirected streams too, and {@code isTerminal()} tells.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console));
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** One more file done. */
    void step() {
        if (total == 0) {
            return;
        }
        done++;
        int hashes = (int) ((long) done * WIDTH / total);
        int percent = (int) ((long) done * 100 / total);
        if (hashes != drawnHashes || percent != drawnPercent) {
            drawnHashes = hashes;
            drawnPercent = percent;
            err.print("\r" + render(done, total));
            err.flush();
        }
    }

    /** Erases the bar. */
    void finish() {
        if (total == 0 || drawnHashes < 0) {
            return;
        }
        err.print("\r" + " ".repeat(render(total, total).length()) + "\r");
        err.flush();
    }

    /** {@code [#####     ] 512/1024}. */
    static String render(int done, int total) {
        int hashes = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        return "[" + "#".repeat(hashes) + " ".repeat(WIDTH - hashes) + "] " + done + "/" + total;
    }
}
