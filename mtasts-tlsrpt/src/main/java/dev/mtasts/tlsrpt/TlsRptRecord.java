package dev.mtasts.tlsrpt;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Extension;
import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.core.SyntaxException.Subject;
import dev.mtasts.core.internal.Chars;
import dev.mtasts.core.internal.TxtRecordScanner;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code _smtp._tls.<domain>} TXT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=<uri>[,<uri>...]}
 * plus any extension fields.
 *
 * <p>Immutable and thread-safe. Two records are equal when their text is equal.
 */
public final class TlsRptRecord {
    /** The version tag every record starts with. */
    public static final String VERSION = "v=TLSRPTv1";

    private static final String RULE = "RFC 8460 §3";

    private final String text;
    private final List<URI> rua;
    private final List<Extension> extensions;

    private TlsRptRecord(String text, List<URI> rua, List<Extension> extensions) {
        this.text = text;
        this.rua = rua;
        this.extensions = extensions;
    }

    /**
     * Parses one TXT record, its character-strings already joined with nothing between them.
     *
     * @throws SyntaxException naming the column, field and rule when the record is invalid
     */
    public static TlsRptRecord parse(String txt) {
        requireNonNull(txt, "txt");
        Set<URI> rua = new LinkedHashSet<>();
        List<Extension> extensions = new ArrayList<>(0);
        TxtRecordScanner.scan(txt, VERSION, Subject.TLSRPT_RECORD, RULE, (name, value, column) -> {
            if (name.equals("rua")) {
                parseRua(value, column, rua);
                return;
            }
            int bad = TxtRecordScanner.badExtensionValueChar(value);
            if (bad >= 0) {
                throw SyntaxException.atColumn(
                        Subject.TLSRPT_RECORD,
                        column + bad,
                        name,
                        "character " + Chars.describe(value.charAt(bad)) + " is not allowed in a field value",
                        RULE);
            }
            extensions.add(new Extension(name, value));
        });
        if (rua.isEmpty()) {
            throw SyntaxException.whole(Subject.TLSRPT_RECORD, "rua", "required field 'rua' is missing", RULE);
        }
        return new TlsRptRecord(
                txt, Collections.unmodifiableList(new ArrayList<>(rua)), Collections.unmodifiableList(extensions));
    }

    /** {@code tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)}. */
    private static void parseRua(String value, int column, Set<URI> out) {
        int n = value.length();
        int pos = 0;
        while (true) {
            int start = pos;
            while (pos < n && value.charAt(pos) != ',' && !Chars.isWsp(value.charAt(pos))) {
                pos++;
            }
            out.add(parseUri(value.substring(start, pos), column + start));
            while (pos < n && Chars.isWsp(value.charAt(pos))) {
                pos++;
            }
            if (pos == n) {
                return;
            }
            if (value.charAt(pos) != ',') {
                throw SyntaxException.atColumn(
                        Subject.TLSRPT_RECORD, column + pos, "rua", "URIs must be separated by ','", RULE);
            }
            pos++;
            while (pos < n && Chars.isWsp(value.charAt(pos))) {
                pos++;
            }
        }
    }

    private static URI parseUri(String text, int column) {
        if (text.isEmpty()) {
            throw SyntaxException.atColumn(Subject.TLSRPT_RECORD, column, "rua", "empty URI", RULE);
        }
        int bang = text.indexOf('!');
        if (bang >= 0) {
            // DMARC's size suffix ("!10m") is not TLSRPT syntax; a literal '!' must be %21.
            throw SyntaxException.atColumn(
                    Subject.TLSRPT_RECORD, column + bang, "rua", "'!' must be percent-encoded in a URI", RULE);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            int at = e.getIndex() >= 0 ? e.getIndex() : 0;
            throw SyntaxException.atColumn(
                    Subject.TLSRPT_RECORD, column + at, "rua", "not a URI: " + e.getReason(), RULE);
        }
        if (!uri.isAbsolute()) {
            throw SyntaxException.atColumn(
                    Subject.TLSRPT_RECORD, column, "rua", "URI has no scheme (expected mailto: or https:)", RULE);
        }
        return uri;
    }

    /**
     * Applies RFC 8460 §3 to a whole TXT RRset: strings not starting with {@code v=TLSRPTv1} are
     * ignored; exactly one candidate must remain and parse.
     */
    public static RecordSelection<TlsRptRecord> selection(List<String> rrset) {
        return TxtRecordScanner.select(rrset, VERSION, TlsRptRecord::parse);
    }

    /**
     * The record that RFC 8460 §3 selects from an RRset, or empty when the domain has no TLSRPT; never
     * throws for bad records ({@link #selection} says why it is empty).
     */
    public static Optional<TlsRptRecord> select(List<String> rrset) {
        return selection(rrset).record();
    }

    /** Every URI of every {@code rua} field, in order, duplicates dropped. */
    public List<URI> rua() {
        return rua;
    }

    /** The {@code rua} URIs this SDK can deliver to: {@code mailto:} and {@code https:}, in order. */
    public List<URI> deliverableRua() {
        List<URI> out = new ArrayList<>(rua.size());
        for (URI uri : rua) {
            String scheme = requireNonNull(uri.getScheme()).toLowerCase(Locale.ROOT);
            if (scheme.equals("mailto") || scheme.equals("https")) {
                out.add(uri);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Fields other than {@code rua}, in record order. */
    public List<Extension> extensions() {
        return extensions;
    }

    /** The record as parsed. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsRptRecord other && other.text.equals(text);
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
