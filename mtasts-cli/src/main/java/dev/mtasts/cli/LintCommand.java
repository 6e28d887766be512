package dev.mtasts.cli;

import dev.mtasts.core.Extension;
import dev.mtasts.core.Mode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import dev.mtasts.core.PolicyWarning;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.tlsrpt.TlsRptRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mtasts lint}: checks a policy file or a TXT record's text with the sender's own strict
 * parsers, and says where it breaks, with the checker's finding IDs.
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
                    + " _smtp._tls (RFC 8460 §3) TXT record, with the parsers a sender uses. Text starting with"
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

    /** How bad a lint message is; the checker's E, W and I. */
    enum Level {
        ERROR("error", 2),
        WARNING("warning", 1),
        INFO("info", 0);

        final String word;
        final int exitCode;

        Level(String word, int exitCode) {
            this.word = word;
            this.exitCode = exitCode;
        }
    }

    /**
     * One message.
     *
     * @param line 1-based line, 0 for none
     * @param column 1-based column, 0 for none
     */
    record Message(int line, int column, String id, Level level, String text) {
        String format(String name) {
            StringBuilder sb = new StringBuilder(name).append(':');
            if (line > 0) {
                sb.append(line).append(':');
            }
            if (column > 0) {
                sb.append(column).append(':');
            }
            return sb.append(' ')
                    .append(id)
                    .append(": ")
                    .append(level.word)
                    .append(": ")
                    .append(text)
                    .toString();
        }
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

    /** Lints one input, prints its messages and a summary line, and returns its exit code. */
    static int lint(String name, byte[] bytes, PrintWriter out) {
        List<Message> messages = new ArrayList<>();
        String kind;
        String text = new String(bytes, StandardCharsets.UTF_8);
        String record = recordText(text);
        if (startsWithIgnoreCase(record, "v=TLSRPT")) {
            kind = "_smtp._tls record";
            tlsRpt(record, messages);
        } else if (startsWithIgnoreCase(record, "v=STS")) {
            kind = "_mta-sts record";
            sts(record, messages);
        } else {
            kind = "MTA-STS policy";
            policy(bytes, messages);
        }
        int status = 0;
        for (Message m : messages) {
            out.println(m.format(name));
            status = Math.max(status, m.level().exitCode);
        }
        long errors = messages.stream().filter(m -> m.level() == Level.ERROR).count();
        long warnings =
                messages.stream().filter(m -> m.level() == Level.WARNING).count();
        out.println(name + ": " + kind + ": "
                + (errors > 0 ? "INVALID" : "valid") + ", " + errors + " error" + (errors == 1 ? "" : "s") + ", "
                + warnings + " warning" + (warnings == 1 ? "" : "s"));
        return status;
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

    private static void sts(String text, List<Message> messages) {
        StsRecord record;
        try {
            record = StsRecord.parse(text);
        } catch (SyntaxException e) {
            messages.add(fromSyntax(e, "sts.txt.syntax"));
            return;
        }
        for (Extension x : record.extensions()) {
            messages.add(new Message(
                    0, 0, "sts.txt.unknown-field", Level.INFO, "extension field " + x.name() + " (senders ignore it)"));
        }
    }

    private static void tlsRpt(String text, List<Message> messages) {
        TlsRptRecord record;
        try {
            record = TlsRptRecord.parse(text);
        } catch (SyntaxException e) {
            messages.add(fromSyntax(e, "rpt.txt.syntax"));
            return;
        }
        for (URI uri : record.rua()) {
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            if (!scheme.equals("mailto") && !scheme.equals("https")) {
                messages.add(new Message(
                        0,
                        0,
                        "rpt.rua.scheme",
                        Level.WARNING,
                        "rua " + uri + " is neither mailto: nor https:, reporters ignore it [RFC 8460 §3]"));
            }
        }
        if (record.deliverableRua().isEmpty()) {
            messages.add(new Message(
                    0,
                    0,
                    "rpt.rua.scheme",
                    Level.ERROR,
                    "no mailto: or https: rua left: no reports are sent [RFC 8460 §3]"));
        }
        for (Extension x : record.extensions()) {
            messages.add(new Message(
                    0, 0, "rpt.txt.syntax", Level.INFO, "extension field " + x.name() + " (reporters ignore it)"));
        }
    }

    private static void policy(byte[] bytes, List<Message> messages) {
        Policy policy;
        try {
            policy = Policy.parse(bytes);
        } catch (SyntaxException e) {
            messages.add(fromSyntax(e, policyId(e)));
            return;
        }
        for (PolicyWarning w : policy.warnings()) {
            messages.add(
                    switch (w.code()) {
                        // The checker catalogue: we cap, but other senders reject the policy.
                        case MAX_AGE_CAPPED ->
                            new Message(
                                    w.line(),
                                    0,
                                    "sts.policy.max_age",
                                    Level.ERROR,
                                    w.message() + "; other senders reject it" + " [RFC 8461 §3.2]");
                        case DUPLICATE_FIELD ->
                            new Message(
                                    w.line(), 0, "sts.policy.dup-key", Level.WARNING, w.message() + " [RFC 8461 §3.2]");
                        case MX_INVALID_PUNYCODE ->
                            new Message(w.line(), 0, "sts.policy.mx", Level.WARNING, w.message() + " [RFC 8461 §3.2]");
                    });
        }
        int modeLine = lineOf(policy, "mode");
        messages.add(new Message(
                modeLine,
                0,
                "sts.policy.mode",
                Level.INFO,
                "mode " + policy.mode().token() + " [RFC 8461 §5]"));
        long maxAge = policy.maxAge().toSeconds();
        int maxAgeLine = lineOf(policy, "max_age");
        if (maxAge == 0) {
            messages.add(new Message(
                    maxAgeLine,
                    0,
                    "sts.policy.max_age",
                    Level.WARNING,
                    "max_age 0: senders never cache the policy, so it protects nothing [RFC 8461 §10.2]"));
        } else if (maxAge < 86_400) {
            messages.add(new Message(
                    maxAgeLine,
                    0,
                    "sts.policy.max_age",
                    Level.WARNING,
                    "max_age " + maxAge + " is under a day: a cached policy expires before an attacker"
                            + " would need to block its refresh [RFC 8461 §10.2]"));
        } else if (maxAge < 604_800 && policy.mode() == Mode.ENFORCE) {
            messages.add(new Message(
                    maxAgeLine,
                    0,
                    "sts.policy.max_age",
                    Level.WARNING,
                    "max_age " + maxAge + " is under a week in enforce mode [RFC 8461 §3.2]"));
        }
        for (MxPattern pattern : policy.mx()) {
            if (pattern.isWildcard() && pattern.domain().indexOf('.') < 0) {
                messages.add(new Message(
                        lineOf(policy, "mx: " + pattern),
                        0,
                        "sts.policy.mx",
                        Level.WARNING,
                        "wildcard " + pattern + " covers every host of a top-level domain [RFC 8461 §4.1]"));
            }
        }
        for (Extension x : policy.extensions()) {
            messages.add(new Message(
                    lineOf(policy, x.name()),
                    0,
                    "sts.policy.unknown-key",
                    Level.INFO,
                    "extension field " + x.name() + " (senders ignore it) [RFC 8461 §3.2]"));
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean crlf = text.contains("\r\n");
        boolean lf = text.replace("\r\n", "").contains("\n");
        if (crlf && lf) {
            messages.add(new Message(
                    0,
                    0,
                    "sts.policy.line-endings",
                    Level.INFO,
                    "mixed LF and CRLF line ends (both are valid) [RFC 8461 §3.2]"));
        }
    }

    /** The 1-based line whose text starts with {@code prefix} (a field name), 0 when none does. */
    private static int lineOf(Policy policy, String prefix) {
        List<String> lines = policy.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The checker's ID for a strict policy parse error: by the field it concerns. */
    static String policyId(SyntaxException e) {
        return switch (e.field().orElse("")) {
            case "version" -> "sts.policy.version";
            case "mode" -> "sts.policy.mode";
            case "max_age" -> "sts.policy.max_age";
            case "mx" -> "sts.policy.mx";
            default -> "sts.policy.syntax";
        };
    }

    private static Message fromSyntax(SyntaxException e, String id) {
        String text = e.field().map(f -> "field '" + f + "': ").orElse("") + e.reason() + " [" + e.rule() + "]";
        return new Message(e.line().orElse(0), e.column().orElse(0), id, Level.ERROR, text);
    }
}
