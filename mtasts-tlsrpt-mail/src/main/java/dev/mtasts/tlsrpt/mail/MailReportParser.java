package dev.mtasts.tlsrpt.mail;

import static dev.mtasts.tlsrpt.internal.Findings.error;
import static dev.mtasts.tlsrpt.internal.Findings.quote;

import dev.mtasts.tlsrpt.MailMetadata;
import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.ReportWarning;
import dev.mtasts.tlsrpt.TlsRptReading;
import dev.mtasts.tlsrpt.TlsRptReport;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import dev.mtasts.tlsrpt.internal.Findings;
import dev.mtasts.tlsrpt.internal.Payloads;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds the report in an RFC 8460 §5.3 e-mail with Jakarta Mail (Angus) and checks the message
 * against §5.1-§5.3, tolerating the real-world forms RW-14..RW-19. Thread-safe: no mutable state.
 */
final class MailReportParser {
    private static final Pattern SUBJECT = Pattern.compile(
            "\\s*Report\\s+Domain:\\s*(\\S+)\\s+Submitter:\\s*(\\S+)\\s+Report-ID:\\s*(\\S+)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MSG_ID = Pattern.compile("<([^<>@\\s]+@[^<>@\\s]+)>");
    private static final Pattern FILENAME =
            Pattern.compile("([^!]+)!([^!]+)!([0-9]+)!([0-9]+)(?:!([A-Za-z0-9]+))?\\.json(\\.gz)?");
    private static final Pattern QUOTED_REPORT_TYPE =
            Pattern.compile("report-type\\s*=\\s*\"tlsrpt\"", Pattern.CASE_INSENSITIVE);

    /** Deeper MIME nesting than this is refused: a report mail needs 1 level, forwards a few (§7). */
    static final int MAX_MIME_DEPTH = 16;
    /** More leaf parts than this are refused: a report mail has 2 (§5.3, §7). */
    static final int MAX_MIME_PARTS = 256;

    private final TlsRptReportReader reportReader;

    /**
     * A parser that reads at most {@link TlsRptReportReader#maxCompressedBytes()} of the report part and
     * hands the bytes to {@code reportReader} (sniffing, inflating, JSON).
     */
    MailReportParser(TlsRptReportReader reportReader) {
        this.reportReader = reportReader;
    }

    private record Leaf(Part part, String number, String mediaType) {}

    /** Reads {@code message} (RFC 5322 bytes) signed as {@code verdict} says. */
    MailReadOutcome parse(InputStream message, DkimVerdict verdict, boolean acceptUnsigned, Findings f) {
        if (!verdict.acceptable()) {
            String why = verdict.signingDomain().isPresent()
                    ? "the DKIM signature uses l=, which covers only part of the body"
                    : "no valid DKIM signature";
            if (!acceptUnsigned) {
                // §3: unsigned reports MUST be ignored; only an explicit analysis flag reads them.
                throw error(
                        ReportIssue.UNSIGNED, "header:DKIM-Signature", why + "; unsigned reports must be ignored (§3)");
            }
            f.deviation(ReportIssue.UNSIGNED, "header:DKIM-Signature", why + " (read for analysis only)");
        }
        try {
            Session session = Session.getInstance(new Properties());
            MimeMessage msg = new MimeMessage(session, message);
            MailReadOutcome outcome = parse(msg, f);
            if (outcome instanceof MailReadOutcome.Report r && verdict.acceptable()) {
                return checkSigner(r, verdict, f);
            }
            return outcome;
        } catch (MessagingException | IOException e) {
            throw error(ReportIssue.UNSUPPORTED_CONTENT, "mime:", "unreadable message: " + e.getMessage());
        } catch (ReportFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // §7, RPT-READ-4: untrusted MIME must never surface as anything but a ReportFormatException.
            throw error(
                    ReportIssue.UNSUPPORTED_CONTENT,
                    "mime:",
                    "unreadable message: " + e.getClass().getSimpleName() + ": "
                            + quote(String.valueOf(e.getMessage())));
        }
    }

    private MailReadOutcome parse(MimeMessage msg, Findings f) throws MessagingException, IOException {
        List<Leaf> leaves = new ArrayList<>();
        collect(msg, "", 0, leaves);
        Leaf report = null;
        for (Leaf leaf : leaves) {
            if (leaf.mediaType.startsWith("application/tlsrpt")) {
                report = leaf;
                break;
            }
        }
        if (report == null) {
            for (Leaf leaf : leaves) {
                String name = fileName(leaf.part).orElse("").toLowerCase(Locale.ROOT);
                if (name.endsWith(".json") || name.endsWith(".json.gz")) {
                    report = leaf;
                    break;
                }
            }
        }
        if (report == null) {
            return new MailReadOutcome.NotAReport("no application/tlsrpt part and no .json/.json.gz attachment");
        }
        String rawType =
                Optional.ofNullable(msg.getHeader("Content-Type", null)).orElse("");
        ContentType top = contentType(rawType);
        boolean multipartReport = top != null
                && top.match("multipart/report")
                && "tlsrpt".equalsIgnoreCase(top.getParameter("report-type"));
        if (!multipartReport) {
            f.deviation(
                    ReportIssue.NOT_MULTIPART_REPORT,
                    "header:Content-Type",
                    "message is " + quote(rawType) + ", not multipart/report; report-type=\"tlsrpt\"");
        } else if (!QUOTED_REPORT_TYPE.matcher(rawType).find()) {
            f.deviation(
                    ReportIssue.REPORT_TYPE_UNQUOTED,
                    "header:Content-Type",
                    "report-type=tlsrpt without quotes (RFC 6522 examples quote it)");
        }
        checkParts(leaves, report, f);
        String at = "mime:" + report.number;
        String media = report.mediaType;
        boolean standard = media.equals("application/tlsrpt+gzip") || media.equals("application/tlsrpt+json");
        if (!standard) {
            f.deviation(
                    ReportIssue.NONSTANDARD_MEDIA_TYPE,
                    at,
                    "report part is " + quote(media) + ", not application/tlsrpt+gzip or +json (§5.2)");
        }
        byte[] payload;
        try (InputStream in = report.part.getInputStream()) {
            payload = Payloads.readCapped(in, reportReader.maxCompressedBytes(), at, "report part");
        }
        Payloads.Kind kind = Payloads.sniff(payload);
        if (standard
                && ((media.endsWith("+gzip") && kind == Payloads.Kind.JSON)
                        || (media.endsWith("+json") && kind == Payloads.Kind.GZIP))) {
            f.deviation(ReportIssue.MEDIA_TYPE_MISMATCH, at, media + " part holds " + kind + " data");
        }
        // The report reader applies the same mode, so a strict deviation has thrown already; in
        // lenient mode its warnings join the message's, in order.
        TlsRptReading part = reportReader.read(payload);
        for (ReportWarning w : part.warnings()) {
            f.deviation(w.issue(), w.location(), w.message());
        }
        TlsRptReport parsed = part.report();
        MailMetadata meta = metadata(msg, report, f, parsed);
        return new MailReadOutcome.Report(new TlsRptReading(parsed, f.warnings(), Optional.of(meta)));
    }

    private static MailReadOutcome checkSigner(MailReadOutcome.Report r, DkimVerdict verdict, Findings f) {
        TlsRptReading reading = r.reading();
        List<String> domains = new ArrayList<>();
        reading.report().contactDomain().ifPresent(domains::add);
        reading.mail().flatMap(MailMetadata::tlsReportSubmitter).ifPresent(domains::add);
        for (String d : domains) {
            if (verdict.alignedWith(d)) {
                return r;
            }
        }
        f.deviation(
                ReportIssue.SIGNER_MISMATCH,
                "header:DKIM-Signature",
                "signed by " + quote(verdict.signingDomain().orElse("")) + ", not by the reporting domain " + domains);
        return new MailReadOutcome.Report(new TlsRptReading(reading.report(), f.warnings(), reading.mail()));
    }

    private void checkParts(List<Leaf> leaves, Leaf report, Findings f) {
        if (leaves.isEmpty() || leaves.get(0).equals(report)) {
            f.deviation(ReportIssue.UNEXPECTED_PARTS, "mime:1", "no human-readable part before the report (§5.3)");
        } else if (!leaves.get(0).mediaType.equals("text/plain")) {
            f.deviation(
                    ReportIssue.UNEXPECTED_PARTS,
                    "mime:" + leaves.get(0).number,
                    "first part is " + quote(leaves.get(0).mediaType) + ", not text/plain (RPT-MAIL-1)");
        }
        int index = leaves.indexOf(report);
        for (int i = index + 1; i < leaves.size(); i++) {
            f.deviation(
                    ReportIssue.UNEXPECTED_PARTS,
                    "mime:" + leaves.get(i).number,
                    "extra " + quote(leaves.get(i).mediaType) + " part after the report");
        }
    }

    private MailMetadata metadata(MimeMessage msg, Leaf report, Findings f, TlsRptReport parsed)
            throws MessagingException {
        Optional<String> subject = Optional.ofNullable(msg.getSubject()).map(String::strip);
        Optional<String> subjectId = Optional.empty();
        Optional<String> domain = header(msg, "TLS-Report-Domain");
        Optional<String> submitter = header(msg, "TLS-Report-Submitter");
        if (subject.isEmpty()) {
            f.deviation(ReportIssue.MISSING_HEADER, "header:Subject", "no Subject (§5.3)");
        } else {
            Matcher m = SUBJECT.matcher(subject.get());
            if (!m.matches()) {
                f.deviation(
                        ReportIssue.SUBJECT_FORM,
                        "header:Subject",
                        "not \"Report Domain: ... Submitter: ... Report-ID: <...>\": " + quote(subject.get()));
            } else {
                String id = m.group(3);
                Matcher msgId = MSG_ID.matcher(id);
                if (msgId.matches()) {
                    subjectId = Optional.of(msgId.group(1));
                } else {
                    f.deviation(
                            ReportIssue.SUBJECT_FORM,
                            "header:Subject",
                            "Report-ID not in <left@right> form: " + quote(id));
                    subjectId =
                            Optional.of(id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id);
                }
                if (!subjectId.get().equals(parsed.reportId())) {
                    f.deviation(
                            ReportIssue.METADATA_MISMATCH,
                            "header:Subject",
                            "Subject Report-ID " + quote(subjectId.get()) + " differs from report-id "
                                    + quote(parsed.reportId()) + "; the JSON wins (§5.6)");
                }
                if (domain.isPresent() && !m.group(1).equalsIgnoreCase(domain.get())) {
                    f.deviation(
                            ReportIssue.METADATA_MISMATCH,
                            "header:Subject",
                            "Subject domain differs from TLS-Report-Domain");
                }
                if (submitter.isPresent() && !m.group(2).equalsIgnoreCase(submitter.get())) {
                    f.deviation(
                            ReportIssue.METADATA_MISMATCH,
                            "header:Subject",
                            "Subject submitter differs from TLS-Report-Submitter");
                }
            }
        }
        if (domain.isEmpty()) {
            f.deviation(ReportIssue.MISSING_HEADER, "header:TLS-Report-Domain", "missing (§5.3 MUST)");
        } else if (!hasPolicyDomain(parsed, domain.get())) {
            f.deviation(
                    ReportIssue.METADATA_MISMATCH,
                    "header:TLS-Report-Domain",
                    quote(domain.get()) + " is no policy-domain of the report; the JSON wins (§5.6)");
        }
        Optional<String> contactDomain = parsed.contactDomain();
        if (submitter.isEmpty()) {
            f.deviation(ReportIssue.MISSING_HEADER, "header:TLS-Report-Submitter", "missing (§5.3 MUST)");
        } else if (contactDomain.isPresent() && !submitter.get().equalsIgnoreCase(contactDomain.get())) {
            f.deviation(
                    ReportIssue.SUBMITTER_MISMATCH,
                    "header:TLS-Report-Submitter",
                    quote(submitter.get()) + " differs from the contact-info domain " + quote(contactDomain.get()));
        }
        Optional<String> filename = fileName(report.part);
        filename.ifPresent(name -> checkFilename(name, report, parsed, f));
        return new MailMetadata(subject, subjectId, domain, submitter, filename, report.mediaType, report.number);
    }

    private static void checkFilename(String name, Leaf report, TlsRptReport parsed, Findings f) {
        String at = "mime:" + report.number;
        Matcher m = FILENAME.matcher(name);
        if (!m.matches()) {
            f.deviation(ReportIssue.FILENAME_FORM, at, "file name not of the §5.1 form: " + quote(name));
            return;
        }
        if (!hasPolicyDomain(parsed, m.group(2))) {
            f.deviation(
                    ReportIssue.METADATA_MISMATCH,
                    at,
                    "file name domain " + quote(m.group(2)) + " is no policy-domain");
        }
        try {
            long begin = Long.parseLong(m.group(3));
            long end = Long.parseLong(m.group(4));
            if (begin != parsed.dateRange().start().getEpochSecond()
                    || end != parsed.dateRange().end().getEpochSecond()) {
                f.deviation(
                        ReportIssue.METADATA_MISMATCH,
                        at,
                        "file name range " + begin + ".." + end + " differs from the date-range; the JSON wins");
            }
        } catch (NumberFormatException e) {
            f.deviation(ReportIssue.FILENAME_FORM, at, "file name timestamps out of range: " + quote(name));
        }
    }

    private static boolean hasPolicyDomain(TlsRptReport report, String domain) {
        for (PolicyEntry e : report.policies()) {
            if (e.policy().policyDomain().map(d -> d.equalsIgnoreCase(domain)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> header(MimeMessage msg, String name) throws MessagingException {
        String value = msg.getHeader(name, ",");
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static Optional<String> fileName(Part part) {
        try {
            return Optional.ofNullable(part.getFileName());
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    private static @Nullable ContentType contentType(String raw) {
        try {
            return new ContentType(raw);
        } catch (ParseException e) {
            return null;
        }
    }

    private static void collect(Part part, String number, int depth, List<Leaf> out)
            throws MessagingException, IOException {
        String at = "mime:" + (number.isEmpty() ? "1" : number);
        if (depth > MAX_MIME_DEPTH) {
            throw error(ReportIssue.TOO_LARGE, at, "MIME nesting deeper than " + MAX_MIME_DEPTH + " levels (§7)");
        }
        String raw = Optional.ofNullable(part.getContentType()).orElse("text/plain");
        ContentType type = contentType(raw);
        String media =
                type == null ? "application/octet-stream" : type.getBaseType().toLowerCase(Locale.ROOT);
        if (media.startsWith("multipart/")) {
            Object content = part.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart child = mp.getBodyPart(i);
                    collect(child, number.isEmpty() ? Integer.toString(i + 1) : number + "." + (i + 1), depth + 1, out);
                }
                return;
            }
        }
        if (out.size() >= MAX_MIME_PARTS) {
            throw error(ReportIssue.TOO_LARGE, at, "more than " + MAX_MIME_PARTS + " MIME parts (§7)");
        }
        out.add(new Leaf(part, number.isEmpty() ? "1" : number, media));
    }

    /** Wraps raw bytes for {@link #parse(InputStream, DkimVerdict, boolean, Findings)}. */
    static InputStream stream(byte[] message) {
        return new ByteArrayInputStream(message);
    }
}
