package dev.mtasts.cli;

import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Lint;
import dev.mtasts.checker.LintFinding;
import dev.mtasts.checker.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mtasts lint}: checks a policy file or a TXT record's text with the checker's content rules
 * ({@link Lint}, the same code a domain check runs), and says where it breaks, with the checker's
 * finding IDs and messages.
 */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = 3,
        exitCodeOnExecutionException = 3,
        description = {
            "Checks a policy file or a TXT record's text, line by line.",
            "",
            "Checks an MTA-STS policy file (RFC 8461 §3.2) or the text of an _mta-sts (RFC 8461 §3.1) or"
                    + " _smtp._tls (RFC 8460 §3) TXT record, with the checker's content rules. Text starting with"
                    + " v=STSv1 or v=TLSRPTv1 (quotes allowed, as in a zone file) is a record; anything else a"
                    + " policy. Messages read FILE:LINE: ID: severity: what and why [RFC section].",
            "",
            "Example:  mtasts lint mta-sts.txt",
            "          echo 'v=STSv1; id=20260101T000000;' | mtasts lint -",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:valid (information only)",
            "1:valid with warnings",
            "2:errors: a sender rejects it, or another common sender does",
            "3:a file cannot be read, or bad usage"
        })
final class LintCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files to check; '-' reads standard input")
    List<Path> files = new ArrayList<>();

    @Spec
    @Nullable
    CommandSpec spec;

    /** The exit code a finding of {@code severity} gives: 2 error, 1 warning, 0 information. */
    private static int exitCode(Severity severity) {
        return switch (severity) {
            case ERROR -> 2;
            case WARNING -> 1;
            case INFO -> 0;
        };
    }

    private static String word(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "info";
        };
    }

    /** {@code NAME:LINE:COLUMN: id: severity: message [RFC section]}, with no LINE or COLUMN when 0. */
    static String format(String name, LintFinding lf) {
        Finding f = lf.finding();
        StringBuilder sb = new StringBuilder(name).append(':');
        if (lf.line() > 0) {
            sb.append(lf.line()).append(':');
        }
        if (lf.column() > 0) {
            sb.append(lf.column()).append(':');
        }
        String message = f.message();
        String linePrefix = "Line " + lf.line() + ": ";
        if (lf.line() > 0 && message.startsWith(linePrefix)) {
            message = message.substring(linePrefix.length()); // the line is already in front
        }
        sb.append(' ')
                .append(f.id())
                .append(": ")
                .append(word(f.severity()))
                .append(": ")
                .append(message);
        if (!message.endsWith("]")) { // record syntax messages end with their rule already
            sb.append(" [").append(f.rfc()).append(']');
        }
        if (f.lenient()) {
            sb.append(" (lenient re-reading)");
        }
        return sb.toString();
    }

    @Override
    public Integer call() {
        PrintWriter out = Main.out(spec);
        PrintWriter err = Main.err(spec);
        int status = 0;
        for (Path file : files) {
            byte[] bytes;
            String name;
            try {
                if (file.toString().equals("-")) {
                    bytes = readAll(System.in);
                    name = "<stdin>";
                } else {
                    bytes = Files.readAllBytes(file);
                    name = file.toString();
                }
            } catch (IOException e) {
                err.println("mtasts lint: cannot read " + file + ": "
                        + e.getClass().getSimpleName() + " " + e.getMessage());
                status = 3;
                continue;
            }
            status = Math.max(status, lint(name, bytes, out));
        }
        return status;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Lints one input, prints its findings and a summary line, and returns its exit code. */
    static int lint(String name, byte[] bytes, PrintWriter out) {
        List<LintFinding> findings;
        String kind;
        String record = recordText(new String(bytes, StandardCharsets.UTF_8));
        if (startsWithIgnoreCase(record, "v=TLSRPT")) {
            kind = "_smtp._tls record";
            findings = Lint.tlsRptRecordLocated(record);
        } else if (startsWithIgnoreCase(record, "v=STS")) {
            kind = "_mta-sts record";
            findings = Lint.stsRecordLocated(record);
        } else {
            kind = "MTA-STS policy";
            findings = Lint.policyLocated(bytes);
        }
        int status = 0;
        for (LintFinding f : findings) {
            out.println(format(name, f));
            status = Math.max(status, exitCode(f.finding().severity()));
        }
        long errors = count(findings, Severity.ERROR);
        long warnings = count(findings, Severity.WARNING);
        out.println(name + ": " + kind + ": "
                + (errors > 0 ? "INVALID" : "valid") + ", " + errors + " error" + (errors == 1 ? "" : "s") + ", "
                + warnings + " warning" + (warnings == 1 ? "" : "s"));
        return status;
    }

    private static long count(List<LintFinding> findings, Severity severity) {
        return findings.stream().filter(f -> f.finding().severity() == severity).count();
    }

    /**
     * The record's text: surrounding whitespace and one final line end dropped; zone-file quoted
     * character-strings ({@code "v=STSv1; " "id=1;"}) joined, as DNS joins them.
     */
    static String recordText(String text) {
        String t = text.strip();
        if (!t.startsWith("\"")) {
            return t;
        }
        StringBuilder joined = new StringBuilder();
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == '"') {
                int j = i + 1;
                while (j < t.length() && t.charAt(j) != '"') {
                    if (t.charAt(j) == '\\' && j + 1 < t.length()) {
                        j++;
                    }
                    joined.append(t.charAt(j));
                    j++;
                }
                i = j + 1;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                return t; // not a sequence of quoted strings: lint the text as it is
            }
        }
        return joined.toString();
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
