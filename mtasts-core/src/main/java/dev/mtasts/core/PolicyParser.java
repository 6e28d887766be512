package dev.mtasts.core;

import dev.mtasts.core.SyntaxException.Subject;
import dev.mtasts.core.internal.Chars;
import dev.mtasts.core.internal.Idna;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The RFC 8461 §3.2 policy grammar, one line at a time:
 *
 * <pre>
 * sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
 * sts-policy-field  = name ":" *WSP value
 * sts-policy-term   = LF / CRLF
 * </pre>
 *
 * <p>Not thread-safe: one instance parses one text.
 */
final class PolicyParser {
    static final String RULE = "RFC 8461 §3.2";
    static final long MAX_AGE_CAP_SECONDS = 31_557_600L;
    private static final int MAX_AGE_DIGITS = 10;
    private static final Mode[] MODES = Mode.values();

    private final String text;
    private final List<MxPattern> mx = new ArrayList<>(4);
    private final List<Extension> extensions = new ArrayList<>(0);
    private final List<PolicyWarning> warnings = new ArrayList<>(0);
    private @Nullable Mode mode;
    private long maxAgeSeconds = -1;
    private boolean version;
    private int lineNumber;

    private PolicyParser(String text) {
        this.text = text;
    }

    static Policy parse(String text) {
        return new PolicyParser(text).run();
    }

    /** Decodes strict UTF-8 (no BOM, no malformed sequences) and parses. */
    static Policy parse(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            throw bomError();
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return parse(decoder.decode(in).toString());
        } catch (CharacterCodingException e) {
            int line = 1;
            for (int i = 0; i < in.position() && i < body.length; i++) {
                if (body[i] == '\n') {
                    line++;
                }
            }
            throw SyntaxException.atLine(
                    Subject.POLICY,
                    line,
                    "",
                    "the policy is not valid UTF-8 (byte offset " + in.position() + ")",
                    RULE);
        }
    }

    private static SyntaxException bomError() {
        return SyntaxException.atLine(
                Subject.POLICY, 1, "", "a byte order mark (U+FEFF) may not precede the first field", RULE);
    }

    private Policy run() {
        int n = text.length();
        if (n == 0) {
            throw SyntaxException.whole(Subject.POLICY, "", "the policy is empty", RULE);
        }
        if (text.charAt(0) == '\uFEFF') {
            throw bomError();
        }
        int start = 0;
        while (start < n) {
            lineNumber++;
            int end = start;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            int next;
            if (end == n) {
                next = n;
            } else if (text.charAt(end) == '\n') {
                next = end + 1;
            } else if (end + 1 < n && text.charAt(end + 1) == '\n') {
                next = end + 2;
            } else {
                throw lineError("", "a bare CR is not a line terminator (use LF or CRLF)");
            }
            parseLine(start, end);
            start = next;
        }
        return finish();
    }

    /** Parses the line {@code text[start, end)} in place: no copy of the line is made. */
    private void parseLine(int start, int end) {
        if (start == end) {
            throw lineError("", "blank lines are not allowed");
        }
        if (Chars.isWsp(text.charAt(start))) {
            throw lineError("", "a line may not start with whitespace");
        }
        int colon = text.indexOf(':', start);
        if (colon < 0 || colon >= end) {
            throw lineError("", "a field needs a name, ':' and a value");
        }
        if (!Chars.isExtensionName(text, start, colon)) {
            String name = text.substring(start, colon);
            String trimmed = stripTrailingWsp(name);
            throw lineError(
                    name,
                    trimmed.length() < name.length() && Chars.isExtensionName(trimmed)
                            ? "whitespace before ':' is not allowed"
                            : "field name must be a letter or digit then up to 31 of letters, digits, '_', '-', '.'");
        }
        int valueStart = colon + 1;
        while (valueStart < end && Chars.isWsp(text.charAt(valueStart))) {
            valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && Chars.isWsp(text.charAt(valueEnd - 1))) {
            valueEnd--;
        }
        if (valueEnd == valueStart) {
            throw lineError(text.substring(start, colon), "the value is empty");
        }
        // The defined fields are recognised without allocating: this runs for every line of every
        // policy fetched, and the benchmark goal is several million policies a second.
        int nameLength = colon - start;
        if (isName(start, nameLength, "mx")) {
            mx.add(parseMx(text.substring(valueStart, valueEnd), valueStart - start));
        } else if (isName(start, nameLength, "version") && !version) {
            if (!isValue(valueStart, valueEnd, Policy.VERSION)) {
                throw lineError(
                        "version", "version must be 'STSv1', found " + quote(text.substring(valueStart, valueEnd)));
            }
            version = true;
        } else if (isName(start, nameLength, "mode") && mode == null) {
            mode = parseMode(valueStart, valueEnd);
        } else if (isName(start, nameLength, "max_age") && maxAgeSeconds < 0) {
            maxAgeSeconds = parseMaxAge(valueStart, valueEnd);
        } else {
            String name = text.substring(start, colon);
            String value = text.substring(valueStart, valueEnd);
            if (name.equals("version") || name.equals("mode") || name.equals("max_age")) {
                duplicate(name, value);
            } else {
                checkExtensionValue(name, value);
                extensions.add(new Extension(name, value));
            }
        }
    }

    private boolean isName(int start, int length, String name) {
        return length == name.length() && text.startsWith(name, start);
    }

    private boolean isValue(int start, int end, String expected) {
        return end - start == expected.length() && text.startsWith(expected, start);
    }

    private Mode parseMode(int start, int end) {
        for (Mode candidate : MODES) {
            if (isValue(start, end, candidate.token())) {
                return candidate;
            }
        }
        throw lineError(
                "mode",
                "mode must be 'enforce', 'testing' or 'none' (case-sensitive), found "
                        + quote(text.substring(start, end)));
    }

    private long parseMaxAge(int start, int end) {
        if (end - start > MAX_AGE_DIGITS) {
            throw lineError("max_age", "max_age has " + (end - start) + " digits; at most 10 are allowed");
        }
        long seconds = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!Chars.isDigit(c)) {
                throw lineError(
                        "max_age", "max_age must be 1 to 10 digits, found " + quote(text.substring(start, end)));
            }
            seconds = seconds * 10 + (c - '0');
        }
        if (seconds > MAX_AGE_CAP_SECONDS) {
            warnings.add(new PolicyWarning(
                    PolicyWarning.Code.MAX_AGE_CAPPED,
                    lineNumber,
                    "max_age " + seconds + " exceeds the maximum of 31557600 seconds and was capped to it"));
            return MAX_AGE_CAP_SECONDS;
        }
        return seconds;
    }

    private MxPattern parseMx(String value, int valueStart) {
        MxPattern pattern;
        try {
            pattern = MxPattern.parse(value);
        } catch (SyntaxException e) {
            throw e.relocate(Subject.POLICY, lineNumber, valueStart);
        }
        if (pattern.domain().contains("xn--")) {
            checkPunycode(pattern);
        }
        return pattern;
    }

    private void checkPunycode(MxPattern pattern) {
        for (String label : pattern.domain().split("\\.", -1)) {
            // IDN.toUnicode hands back its input unchanged when the Punycode does not decode.
            if (label.startsWith("xn--")
                    && Idna.toUnicode(label).map(label::equals).orElse(true)) {
                warnings.add(new PolicyWarning(
                        PolicyWarning.Code.MX_INVALID_PUNYCODE,
                        lineNumber,
                        "mx " + quote(pattern.toString()) + " has an xn-- label that is not valid Punycode"));
                return;
            }
        }
    }

    private void duplicate(String name, String value) {
        checkExtensionValue(name, value);
        warnings.add(new PolicyWarning(
                PolicyWarning.Code.DUPLICATE_FIELD,
                lineNumber,
                "repeated field '" + name + "' is ignored; the first one governs"));
    }

    private void checkExtensionValue(String name, String value) {
        int bad = Chars.badPolicyValueChar(value);
        if (bad >= 0) {
            throw lineError(
                    name, "character " + Chars.describe(value.charAt(bad)) + " is not allowed in a field value");
        }
    }

    private Policy finish() {
        if (!version) {
            throw missing("version");
        }
        if (mode == null) {
            throw missing("mode");
        }
        if (maxAgeSeconds < 0) {
            throw missing("max_age");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw SyntaxException.whole(
                    Subject.POLICY, "mx", "mode " + mode.token() + " needs at least one 'mx' field", RULE);
        }
        // Compact, immutable lists: a cached policy should stay well under 1 KiB.
        return new Policy(
                mode,
                Duration.ofSeconds(maxAgeSeconds),
                List.copyOf(mx),
                text,
                List.copyOf(extensions),
                List.copyOf(warnings));
    }

    private static SyntaxException missing(String field) {
        return SyntaxException.whole(Subject.POLICY, field, "required field '" + field + "' is missing", RULE);
    }

    private SyntaxException lineError(String field, String reason) {
        return SyntaxException.atLine(Subject.POLICY, lineNumber, field, reason, RULE);
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
            sb.append(Chars.isVchar(c) || c == ' ' ? String.valueOf(c) : Chars.describe(c));
        }
        return sb.append(value.length() > 64 ? "...'" : "'").toString();
    }
}
