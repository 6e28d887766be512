package dev.mtasts.core.internal;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.SyntaxException;
import java.util.List;
import java.util.function.Function;

/**
 * Splits a DNS TXT policy record of the shape shared by {@code _mta-sts} (RFC 8461 §3.1) and
 * {@code _smtp._tls} (RFC 8460 §3) into fields:
 *
 * <pre>
 * record      = version 1*(field-delim field) [field-delim]
 * field-delim = *WSP ";" *WSP
 * field       = name "=" value
 * </pre>
 *
 * <p>The scanner checks the framing only; each record type validates field names and values. A
 * value runs to the next {@code ;} (or the end) and may hold inner WSP, which only the TLSRPT
 * {@code rua} list allows; its trailing WSP belongs to the delimiter.
 */
public final class TxtRecordScanner {

    /** Receives each field in order; columns are 1-based. */
    @FunctionalInterface
    public interface FieldHandler {
        /**
         * Called once per field.
         *
         * @param name the field name (already checked against the extension-name grammar)
         * @param value the value, never empty, trailing WSP removed
         * @param valueColumn the 1-based column where the value starts
         */
        void field(String name, String value, int valueColumn);
    }

    private TxtRecordScanner() {}

    /**
     * Whether {@code txt} is a candidate record for {@code version}: it starts with the version and
     * then {@code ;}, SP, HTAB or the end (so {@code v=STSv10} is not one).
     */
    public static boolean isCandidate(String txt, String version) {
        if (!txt.startsWith(version)) {
            return false;
        }
        if (txt.length() == version.length()) {
            return true;
        }
        char next = txt.charAt(version.length());
        return next == ';' || Chars.isWsp(next);
    }

    /**
     * Applies the "exactly one candidate" rule (RFC 8461 §3.1, RFC 8460 §3) to an RRset and parses
     * the candidate, turning a parse error into {@link RecordSelection.InvalidRecord}.
     */
    public static <R> RecordSelection<R> select(List<String> rrset, String version, Function<String, R> parser) {
        requireNonNull(rrset, "rrset");
        String candidate = null;
        int count = 0;
        for (String txt : rrset) {
            if (isCandidate(requireNonNull(txt, "rrset element"), version)) {
                candidate = txt;
                count++;
            }
        }
        if (candidate == null) {
            return new RecordSelection.NoRecord<>();
        }
        if (count > 1) {
            return new RecordSelection.MultipleRecords<>(count);
        }
        try {
            return new RecordSelection.Selected<>(parser.apply(candidate));
        } catch (SyntaxException e) {
            return new RecordSelection.InvalidRecord<>(candidate, e);
        }
    }

    /**
     * Scans {@code txt}, which must start with {@code version}, handing each field to {@code
     * handler}.
     *
     * @throws SyntaxException naming the column and rule when the framing is broken
     */
    public static void scan(
            String txt, String version, SyntaxException.Subject subject, String rule, FieldHandler handler) {
        int n = txt.length();
        for (int i = 0; i < n; i++) {
            char c = txt.charAt(i);
            if (c > 0x7e || (c < 0x20 && c != '\t') || c == 0x7f) {
                throw SyntaxException.atColumn(
                        subject, i + 1, "", "character " + Chars.describe(c) + " is not allowed", rule);
            }
        }
        if (!txt.startsWith(version)) {
            throw SyntaxException.atColumn(subject, 1, "v", "record must start with '" + version + "'", rule);
        }
        int pos = version.length();
        int fields = 0;
        while (true) {
            // field-delim = *WSP ";" *WSP
            int delimStart = pos;
            while (pos < n && Chars.isWsp(txt.charAt(pos))) {
                pos++;
            }
            if (pos == n) {
                if (pos > delimStart) {
                    throw SyntaxException.atColumn(
                            subject, delimStart + 1, "", "trailing whitespace must be followed by ';'", rule);
                }
                break;
            }
            if (txt.charAt(pos) != ';') {
                throw SyntaxException.atColumn(
                        subject,
                        pos + 1,
                        "",
                        "expected ';' between fields, found " + Chars.describe(txt.charAt(pos)),
                        rule);
            }
            pos++;
            while (pos < n && Chars.isWsp(txt.charAt(pos))) {
                pos++;
            }
            if (pos == n) {
                break; // the one optional trailing delimiter
            }
            pos = scanField(txt, pos, subject, rule, handler);
            fields++;
        }
        if (fields == 0) {
            throw SyntaxException.atColumn(
                    subject, version.length() + 1, "", "record has no field after '" + version + "'", rule);
        }
    }

    private static int scanField(
            String txt, int start, SyntaxException.Subject subject, String rule, FieldHandler handler) {
        int n = txt.length();
        int pos = start;
        while (pos < n && txt.charAt(pos) != '=' && txt.charAt(pos) != ';') {
            pos++;
        }
        String name = txt.substring(start, pos);
        if (name.isEmpty()) {
            throw SyntaxException.atColumn(subject, start + 1, "", "empty field name (an extra ';'?)", rule);
        }
        if (pos == n || txt.charAt(pos) != '=') {
            throw SyntaxException.atColumn(subject, start + 1, name, "field has no '='", rule);
        }
        if (!Chars.isExtensionName(name)) {
            throw SyntaxException.atColumn(
                    subject,
                    start + 1,
                    name,
                    "field name must be a letter or digit then up to 31 of letters, digits, '_', '-', '.'"
                            + " (no whitespace around '=')",
                    rule);
        }
        int valueStart = ++pos;
        while (pos < n && txt.charAt(pos) != ';') {
            pos++;
        }
        int valueEnd = pos;
        while (valueEnd > valueStart && Chars.isWsp(txt.charAt(valueEnd - 1))) {
            valueEnd--;
        }
        if (valueEnd == valueStart) {
            throw SyntaxException.atColumn(
                    subject, valueStart + 1, name, "empty value (no whitespace may follow '=')", rule);
        }
        if (Chars.isWsp(txt.charAt(valueStart))) {
            throw SyntaxException.atColumn(subject, valueStart + 1, name, "whitespace after '=' is not allowed", rule);
        }
        handler.field(name, txt.substring(valueStart, valueEnd), valueStart + 1);
        // Leave trailing WSP to the delimiter scan, which rejects it at the very end without ';'.
        return valueEnd;
    }

    /**
     * Checks an extension value: {@code 1*(%x21-3A / %x3C / %x3E-7E)}, that is visible ASCII except
     * {@code ;} and {@code =}.
     *
     * @return the 0-based index of the first bad character, or -1
     */
    public static int badExtensionValueChar(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Chars.isVchar(c) || c == ';' || c == '=') {
                return i;
            }
        }
        return -1;
    }
}
