package dev.mtasts.core;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.internal.Chars;
import dev.mtasts.core.internal.TxtRecordScanner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 §3.1): {@code v=STSv1; id=<policy id>} plus any
 * extension fields.
 *
 * <p>Immutable and thread-safe. Two records are equal when their text is equal.
 */
public final class StsRecord {
    /** The version tag every record starts with. */
    public static final String VERSION = "v=STSv1";

    private static final String RULE = "RFC 8461 §3.1";
    private static final int MAX_ID_LENGTH = 32;

    private final String text;
    private final String id;
    private final List<Extension> extensions;

    private StsRecord(String text, String id, List<Extension> extensions) {
        this.text = text;
        this.id = id;
        this.extensions = extensions;
    }

    /**
     * Parses one TXT record: its character-strings already joined with nothing between them (RFC 8461
     * §3.1).
     *
     * @throws SyntaxException naming the column and rule when the record is invalid
     */
    public static StsRecord parse(String txt) {
        requireNonNull(txt, "txt");
        String[] id = {null};
        List<Extension> extensions = new ArrayList<>(0);
        TxtRecordScanner.scan(txt, VERSION, SyntaxException.Subject.STS_RECORD, RULE, (name, value, column) -> {
            if (name.equals("id") && id[0] == null) {
                checkId(value, column);
                id[0] = value;
                return;
            }
            int bad = TxtRecordScanner.badExtensionValueChar(value);
            if (bad >= 0) {
                throw SyntaxException.atColumn(
                        SyntaxException.Subject.STS_RECORD,
                        column + bad,
                        name,
                        "character " + Chars.describe(value.charAt(bad)) + " is not allowed in a field value",
                        RULE);
            }
            // A repeated id is kept as written but never governs (first wins).
            extensions.add(new Extension(name, value));
        });
        String policyId = id[0];
        if (policyId == null) {
            throw SyntaxException.whole(
                    SyntaxException.Subject.STS_RECORD, "id", "required field 'id' is missing", RULE);
        }
        return new StsRecord(txt, policyId, Collections.unmodifiableList(extensions));
    }

    private static void checkId(String value, int column) {
        if (value.length() > MAX_ID_LENGTH) {
            throw SyntaxException.atColumn(
                    SyntaxException.Subject.STS_RECORD,
                    column,
                    "id",
                    "id is " + value.length() + " characters long; at most 32 are allowed",
                    RULE);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Chars.isAlphaNum(value.charAt(i))) {
                throw SyntaxException.atColumn(
                        SyntaxException.Subject.STS_RECORD,
                        column + i,
                        "id",
                        "id may hold only letters and digits, found " + Chars.describe(value.charAt(i)),
                        RULE);
            }
        }
    }

    /**
     * Applies RFC 8461 §3.1 to a whole TXT RRset (one string per record, character-strings joined):
     * records not starting with {@code v=STSv1} are ignored; exactly one candidate must remain and
     * parse.
     */
    public static RecordSelection<StsRecord> selection(List<String> rrset) {
        return TxtRecordScanner.select(rrset, VERSION, StsRecord::parse);
    }

    /**
     * The record that RFC 8461 §3.1 selects from an RRset, or empty when the domain must be treated as
     * having no policy. Never throws for bad records; {@link #selection} says why it is empty.
     */
    public static Optional<StsRecord> select(List<String> rrset) {
        return selection(rrset).record();
    }

    /** The policy id: 1 to 32 letters and digits, compared as an exact, case-sensitive string. */
    public String id() {
        return id;
    }

    /** Fields other than the governing {@code id}, in record order. */
    public List<Extension> extensions() {
        return extensions;
    }

    /** The record as parsed. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StsRecord other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The record's text. */
    @Override
    public String toString() {
        return text;
    }
}
