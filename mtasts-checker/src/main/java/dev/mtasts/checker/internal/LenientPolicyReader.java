package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.Mode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.core.internal.Chars;
import dev.mtasts.core.internal.Idna;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads a policy text line by line the way the core parser does (RFC 8461 §3.2), but never stops:
 * it records every problem of every line, and keeps what it could read (mode, {@code mx} patterns,
 * {@code max_age}) so that the MX checks can go on after the strict parse refused the file.
 *
 * <p>Its errors agree with the core parser: a text the parser accepts gets no {@link
 * Severity#ERROR} problem, a text it refuses gets at least
 * one; the one error on an accepted text is a {@link Problem#senderAccepts()} one. Pure: no I/O. Not thread-safe: one instance reads one text.
 */
final class LenientPolicyReader {
    private static final long MAX_AGE_CAP = Policy.MAX_AGE_LIMIT.toSeconds();
    private static final long ONE_DAY = 86_400;
    private static final long ONE_WEEK = 604_800;
    private static final int MAX_AGE_DIGITS = 10;

    /**
     * One problem.
     *
     * @param check the finding ID
     * @param severity how much it matters
     * @param line the 1-based line, 0 for the file as a whole
     * @param field the field concerned, {@code ""} if none
     * @param message the finding's message
     * @param evidence what was seen
     * @param senderAccepts whether this SDK's sender accepts what an {@link Severity#ERROR} is about
     *     (a {@code max_age} above the cap: we cap it, other senders refuse the policy)
     */
    record Problem(
            Check check,
            Severity severity,
            int line,
            String field,
            String message,
            List<String> evidence,
            boolean senderAccepts) {
        Problem {
            evidence = List.copyOf(evidence);
        }

        Problem(Check check, Severity severity, int line, String field, String message, List<String> evidence) {
            this(check, severity, line, field, message, evidence, false);
        }
    }

    /**
     * What the reading gave.
     *
     * @param lines the lines as received: split on LF, the CR of a CRLF removed
     * @param problems every problem, lines in order, then the file-wide ones
     * @param mode the mode, if one could be read (a wrongly cased value is read here)
     * @param mx the {@code mx} values that are valid patterns, in order
     * @param maxAge the first {@code max_age}, if it is 1 to 10 digits, capped as a sender caps it
     */
    record Reading(
            List<String> lines,
            List<Problem> problems,
            Optional<Mode> mode,
            List<String> mx,
            Optional<Duration> maxAge) {
        Reading {
            lines = List.copyOf(lines);
            problems = List.copyOf(problems);
            mx = List.copyOf(mx);
        }
    }

    private final List<String> lines = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<MxPattern> mx = new ArrayList<>();
    private int mxLines;
    private boolean versionSeen;
    private boolean modeSeen;
    private boolean maxAgeSeen;
    private @Nullable Mode mode;
    private int modeLine;
    private @Nullable Long maxAgeSeconds;
    private int maxAgeLine;
    private final List<String> miscased = new ArrayList<>();

    private LenientPolicyReader() {}

    /** Reads {@code text} (already decoded). */
    static Reading read(String text) {
        return new LenientPolicyReader().run(text);
    }

    private Reading run(String text) {
        if (text.isEmpty()) {
            problems.add(new Problem(
                    Check.STS_POLICY_SYNTAX,
                    Severity.ERROR,
                    0,
                    "",
                    "The policy is empty: it needs at least version, mode and max_age lines.",
                    List.of("body: 0 bytes")));
            return new Reading(List.of(), problems, Optional.empty(), List.of(), Optional.empty());
        }
        int crlf = 0;
        int lf = 0;
        int firstCrlf = 0;
        int firstLf = 0;
        int start = 0;
        int n = text.length();
        while (start < n) {
            int end = text.indexOf('\n', start);
            String line;
            if (end < 0) {
                line = text.substring(start);
                start = n;
            } else {
                boolean isCrlf = end > start && text.charAt(end - 1) == '\r';
                line = text.substring(start, isCrlf ? end - 1 : end);
                start = end + 1;
                if (isCrlf) {
                    crlf++;
                    firstCrlf = firstCrlf == 0 ? lines.size() + 1 : firstCrlf;
                } else {
                    lf++;
                    firstLf = firstLf == 0 ? lines.size() + 1 : firstLf;
                }
            }
            lines.add(line);
            readLine(lines.size(), line);
        }
        finish();
        if (crlf > 0 && lf > 0) {
            // RFC 8461 §3.2 and erratum 6253: LF and CRLF are both terminators, mixed freely.
            problems.add(new Problem(
                    Check.STS_POLICY_LINE_ENDINGS,
                    Severity.INFO,
                    0,
                    "",
                    "The policy mixes line ends: " + crlf + " line(s) end in CRLF (first: line " + firstCrlf + "), "
                            + lf + " in LF alone (first: line " + firstLf + "). Both are valid and every"
                            + " compliant sender reads them; this is only a sign of hand-editing.",
                    List.of("CRLF: " + crlf, "LF: " + lf)));
        }
        List<String> patterns = mx.stream().map(MxPattern::toString).toList();
        Optional<Duration> maxAge =
                Optional.ofNullable(maxAgeSeconds).map(s -> Duration.ofSeconds(Math.min(s, MAX_AGE_CAP)));
        return new Reading(lines, problems, Optional.ofNullable(mode), patterns, maxAge);
    }

    private void readLine(int number, String line) {
        if (line.indexOf('\r') < 0) {
            readField(number, line, line, 0);
            return;
        }
        error(
                Check.STS_POLICY_SYNTAX,
                number,
                "",
                "Line " + number + " contains a bare CR (a CR not followed by LF); lines end in LF or CRLF only.",
                line);
        // Read what the CRs separate as if they were line ends, so the fields on either side count.
        int from = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == '\r') {
                if (i > from) {
                    readField(number, line, line.substring(from, i), from);
                }
                from = i + 1;
            }
        }
    }

    /** Reads one {@code name: value} field; {@code offset} is where {@code s} starts in {@code line}. */
    private void readField(int n, String line, String s, int offset) {
        if (s.isEmpty()) {
            error(
                    Check.STS_POLICY_SYNTAX,
                    n,
                    "",
                    "Line " + n + " is blank; blank lines are not allowed (only the last line's terminator may"
                            + " end the file). Remove it.",
                    line);
            return;
        }
        int lead = 0;
        while (lead < s.length() && Chars.isWsp(s.charAt(lead))) {
            lead++;
        }
        if (lead > 0) {
            error(
                    Check.STS_POLICY_SYNTAX,
                    n,
                    "",
                    "Line " + n + " starts with white space, which the grammar does not allow (it is not a"
                            + " continuation line). Remove it.",
                    line);
            if (lead == s.length()) {
                return;
            }
        }
        int colon = s.indexOf(':', lead);
        if (colon < 0) {
            error(
                    Check.STS_POLICY_SYNTAX,
                    n,
                    "",
                    "Line " + n + " has no ':'; every line is a 'name: value' field.",
                    line);
            return;
        }
        String name = s.substring(lead, colon);
        if (!Chars.isExtensionName(name)) {
            String trimmed = stripTrailingWsp(name);
            if (trimmed.length() < name.length() && Chars.isExtensionName(trimmed)) {
                error(
                        Check.STS_POLICY_SYNTAX,
                        n,
                        trimmed,
                        "Line " + n + " has white space before ':' in '" + trimmed + "', which the grammar does not"
                                + " allow; write '" + trimmed + ": value'.",
                        line);
                name = trimmed;
            } else {
                error(
                        Check.STS_POLICY_SYNTAX,
                        n,
                        name,
                        "Line " + n + ": " + quote(name) + " is not a field name (a letter or digit, then up to 31"
                                + " letters, digits, '_', '-' or '.').",
                        line);
                return;
            }
        }
        int valueStart = colon + 1;
        while (valueStart < s.length() && Chars.isWsp(s.charAt(valueStart))) {
            valueStart++;
        }
        String value = stripTrailingWsp(s.substring(valueStart));
        int column = offset + valueStart + 1;
        switch (name) {
            case "mx" -> readMx(n, line, value, column);
            case "version" -> readVersion(n, line, value);
            case "mode" -> readMode(n, line, value);
            case "max_age" -> readMaxAge(n, line, value);
            default -> readOther(n, line, name, value);
        }
    }

    private void readMx(int n, String line, String value, int column) {
        mxLines++;
        if (value.isEmpty()) {
            error(Check.STS_POLICY_MX, n, "mx", "Line " + n + ": the mx field has no value.", line);
            return;
        }
        MxPattern pattern;
        try {
            pattern = MxPattern.parse(value);
        } catch (SyntaxException e) {
            int at = column + e.column().orElse(1) - 1;
            error(
                    Check.STS_POLICY_MX,
                    n,
                    "mx",
                    "Line " + n + ", column " + at + ": mx " + quote(value) + " is not a valid pattern: "
                            + mxAdvice(value, e.reason()),
                    line);
            return;
        }
        // RFC 8461 §3.2: a repeated mx is allowed, but an identical one is a copy-and-paste slip.
        if (mx.contains(pattern)) {
            problems.add(new Problem(
                    Check.STS_POLICY_DUP_KEY,
                    Severity.WARNING,
                    n,
                    "mx",
                    "Line " + n + " repeats mx " + quote(value) + "; the copy changes nothing. Remove it.",
                    List.of(evidence(n, line))));
        }
        mx.add(pattern);
        if (pattern.domain().contains("xn--") && hasInvalidPunycode(pattern.domain())) {
            problems.add(new Problem(
                    Check.STS_POLICY_MX,
                    Severity.WARNING,
                    n,
                    "mx",
                    "Line " + n + ": mx " + quote(value) + " has an xn-- label that is not valid Punycode, so it"
                            + " names no real host; senders still accept the policy.",
                    List.of(evidence(n, line))));
        }
        if (pattern.isWildcard() && pattern.domain().indexOf('.') < 0) {
            problems.add(new Problem(
                    Check.STS_POLICY_MX,
                    Severity.WARNING,
                    n,
                    "mx",
                    "Line " + n + ": mx " + quote(value) + " is a wildcard over a top-level domain: it admits every"
                            + " host directly under '" + pattern.domain() + "', which no single mail provider"
                            + " controls. List your MX hosts or their provider's domain instead.",
                    List.of(evidence(n, line))));
        }
    }

    /** Why a pattern is invalid, in the words a domain owner needs: the core reason, sharpened. */
    private static String mxAdvice(String value, String reason) {
        if (value.startsWith(".")) {
            return "the draft form '.example.com' is not in RFC 8461; write '*." + value.substring(1) + "'.";
        }
        if (value.equals("*") || value.equals("*.")) {
            return "a bare '*' matches nothing; list the MX hosts or '*.' and their domain.";
        }
        if (value.startsWith("*.*.") || (value.indexOf('*') > 0)) {
            return "'*' may only be the whole left-most label, followed by '.' (one label, RFC 8461 §4.1).";
        }
        if (value.startsWith("[") || value.indexOf(':') >= 0 || reason.contains("IP address")) {
            return "an IP address is not an MX host name; patterns name hosts.";
        }
        if (value.endsWith(".") && reason.contains("trailing dot")) {
            return "a trailing dot is not allowed; write " + quote(value.substring(0, value.length() - 1)) + ".";
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                String wild = value.startsWith("*.") ? "*." : "";
                Optional<String> ascii = Idna.toAscii(value.substring(wild.length()));
                return "patterns must use A-labels, not U-labels"
                        + ascii.filter(a -> !a.equals(value))
                                .map(a -> "; write " + quote(wild + a))
                                .orElse("")
                        + ".";
            }
        }
        return reason + " (RFC 5321 letters, digits and hyphens).";
    }

    private static boolean hasInvalidPunycode(String domain) {
        for (String label : domain.split("\\.", -1)) {
            // As the core parser: IDN.toUnicode hands back an A-label it cannot decode unchanged.
            if (label.startsWith("xn--")
                    && Idna.toUnicode(label).map(label::equals).orElse(true)) {
                return true;
            }
        }
        return false;
    }

    private void readVersion(int n, String line, String value) {
        if (versionSeen) {
            repeated(n, line, "version", value);
            return;
        }
        versionSeen = true;
        if (!value.equals(Policy.VERSION)) {
            error(
                    Check.STS_POLICY_VERSION,
                    n,
                    "version",
                    "Line " + n + ": version must be exactly 'STSv1' (case-exact), found " + quote(value) + ".",
                    line);
        }
    }

    private void readMode(int n, String line, String value) {
        if (modeSeen) {
            repeated(n, line, "mode", value);
            return;
        }
        modeSeen = true;
        modeLine = n;
        Optional<Mode> exact = Mode.fromToken(value);
        if (exact.isPresent()) {
            mode = exact.get();
            return;
        }
        Optional<Mode> folded = Mode.fromToken(value.toLowerCase(Locale.ROOT));
        String why;
        if (folded.isPresent()) {
            mode = folded.get(); // the lenient reading: clearly meant, so the MX checks go on
            why = "mode values are case-exact; write '" + folded.get().token() + "'";
        } else if (value.equalsIgnoreCase("report")) {
            why = "'report' is a draft value that RFC 8461 dropped; use 'testing'";
        } else {
            why = "it must be 'enforce', 'testing' or 'none'";
        }
        error(
                Check.STS_POLICY_MODE,
                n,
                "mode",
                "Line " + n + ": mode " + quote(value) + " is invalid: " + why + ". Senders use no policy.",
                line);
    }

    private void readMaxAge(int n, String line, String value) {
        if (maxAgeSeen) {
            repeated(n, line, "max_age", value);
            return;
        }
        maxAgeSeen = true;
        maxAgeLine = n;
        boolean digits = !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || value.length() > MAX_AGE_DIGITS) {
            error(
                    Check.STS_POLICY_MAX_AGE,
                    n,
                    "max_age",
                    "Line " + n + ": max_age must be 1 to 10 digits (seconds), found " + quote(value) + ".",
                    line);
            return;
        }
        long seconds = Long.parseLong(value);
        maxAgeSeconds = seconds;
        if (seconds > MAX_AGE_CAP) {
            // We cap, as the core parser does; other senders reject the policy outright.
            problems.add(new Problem(
                    Check.STS_POLICY_MAX_AGE,
                    Severity.ERROR,
                    n,
                    "max_age",
                    "Line " + n + ": max_age " + seconds + " is above the maximum of 31557600 seconds (one year):"
                            + " this SDK caps it, but other senders reject the policy. Use 31557600 or less.",
                    List.of(evidence(n, line)),
                    true));
        }
    }

    private void repeated(int n, String line, String name, String value) {
        if (Chars.badPolicyValueChar(value) >= 0 || value.isEmpty()) {
            valueError(n, line, name, value);
            return;
        }
        problems.add(new Problem(
                Check.STS_POLICY_DUP_KEY,
                Severity.WARNING,
                n,
                name,
                "Line " + n + " repeats the field '" + name + "'; senders use the first one and ignore this. Keep"
                        + " one.",
                List.of(evidence(n, line))));
    }

    private void readOther(int n, String line, String name, String value) {
        if (Chars.badPolicyValueChar(value) >= 0 || value.isEmpty()) {
            valueError(n, line, name, value);
            return;
        }
        for (String known : new String[] {"version", "mode", "max_age", "mx"}) {
            if (name.equalsIgnoreCase(known)) {
                miscased.add(name);
                problems.add(new Problem(
                        Check.STS_POLICY_UNKNOWN_KEY,
                        Severity.WARNING,
                        n,
                        name,
                        "Line " + n + ": '" + name + "' is not '" + known + "': field names are case-exact, so"
                                + " senders ignore this line as an unknown field. Write '" + known + "'.",
                        List.of(evidence(n, line))));
                return;
            }
        }
        problems.add(new Problem(
                Check.STS_POLICY_UNKNOWN_KEY,
                Severity.INFO,
                n,
                name,
                "Line " + n + ": unknown field '" + name + "'; senders ignore it.",
                List.of(evidence(n, line))));
    }

    private void valueError(int n, String line, String name, String value) {
        int bad = Chars.badPolicyValueChar(value);
        error(
                Check.STS_POLICY_SYNTAX,
                n,
                name,
                "Line " + n + ": the value of '" + name + "' "
                        + (bad < 0
                                ? "is empty."
                                : "contains " + Chars.describe(value.charAt(bad))
                                        + ", which a field value may not contain (control characters and tabs).")
                        + " Senders refuse the whole policy.",
                line);
    }

    private void finish() {
        String hint = miscased.isEmpty()
                ? ""
                : " (there is a '" + String.join("', '", miscased) + "' line: names are case-exact)";
        if (!versionSeen) {
            missing(Check.STS_POLICY_VERSION, "version", "There is no 'version: STSv1' line" + hint + ".");
        }
        if (!modeSeen) {
            missing(Check.STS_POLICY_MODE, "mode", "There is no 'mode' line" + hint + "; senders use no policy.");
        }
        if (!maxAgeSeen) {
            missing(
                    Check.STS_POLICY_MAX_AGE,
                    "max_age",
                    "There is no 'max_age' line" + hint + "; senders use no policy.");
        }
        Mode read = mode;
        if (read != null && read != Mode.NONE && mxLines == 0) {
            missing(
                    Check.STS_POLICY_MX,
                    "mx",
                    "Mode " + read.token() + " needs at least one 'mx' line" + hint + "; senders use no policy.");
        }
        if (read != null) {
            problems.add(new Problem(
                    Check.STS_POLICY_MODE,
                    Severity.INFO,
                    modeLine,
                    "mode",
                    "Mode " + read.token() + ": " + modeMeaning(read),
                    List.of("mode: " + read.token())));
        }
        Long seconds = maxAgeSeconds;
        if (seconds != null) {
            maxAgeWarning(seconds, read);
        }
    }

    private static String modeMeaning(Mode mode) {
        return switch (mode) {
            case ENFORCE -> "senders deliver only to matching MX hosts over TLS with a valid certificate.";
            case TESTING -> "senders deliver as without MTA-STS and report failures (TLSRPT).";
            case NONE -> "senders treat the domain as having no MTA-STS policy.";
        };
    }

    private void maxAgeWarning(long seconds, @Nullable Mode read) {
        String why;
        if (seconds == 0) {
            why = "max_age 0 means the policy is never cached, so it protects only deliveries that fetch it"
                    + " first (RFC 8461 §10.2), and some senders refuse 0 as invalid. Use weeks.";
        } else if (seconds < ONE_DAY) {
            why = "max_age " + seconds + " is under a day: a cached policy soon expires, and an attacker who"
                    + " blocks the fetch after that downgrades delivery (RFC 8461 §10.2). Use weeks.";
        } else if (read == Mode.ENFORCE && seconds < ONE_WEEK) {
            why = "max_age " + seconds + " is under a week in enforce mode; RFC 8461 §3.2 suggests weeks or more"
                    + " so that a cached policy outlasts an attack.";
        } else {
            return;
        }
        problems.add(new Problem(
                Check.STS_POLICY_MAX_AGE,
                Severity.WARNING,
                maxAgeLine,
                "max_age",
                "Line " + maxAgeLine + ": " + why,
                List.of(evidence(maxAgeLine, lines.get(maxAgeLine - 1)))));
    }

    private void missing(Check check, String field, String message) {
        problems.add(new Problem(check, Severity.ERROR, 0, field, message, List.of()));
    }

    private void error(Check check, int n, String field, String message, String line) {
        problems.add(new Problem(check, Severity.ERROR, n, field, message, List.of(evidence(n, line))));
    }

    /** {@code line N: "text"} with control characters written as {@code <U+0009>}. */
    static String evidence(int n, String line) {
        StringBuilder sb = new StringBuilder("line ").append(n).append(": \"");
        for (int i = 0; i < line.length() && i < 200; i++) {
            char c = line.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? "<" + Chars.describe(c) + ">" : String.valueOf(c));
        }
        return sb.append(line.length() > 200 ? "...\"" : "\"").toString();
    }

    private static String stripTrailingWsp(String s) {
        int end = s.length();
        while (end > 0 && Chars.isWsp(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String quote(String value) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < 64; i++) {
            char c = value.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? Chars.describe(c) : String.valueOf(c));
        }
        return sb.append(value.length() > 64 ? "...'" : "'").toString();
    }
}
