package dev.mtasts.tlsrpt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Loads the quirk fixtures under {@code src/test/resources/tlsrpt}. */
final class Fixtures {
    private Fixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/tlsrpt/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The verdict of a mail pipeline that verified sender.example's DKIM signature (RPT-READ-2). */
    static final DkimVerdict SIGNED = DkimVerdict.signedBy("sender.example");

    static final TlsRptReportReader LENIENT =
            TlsRptReportReader.builder().mode(ReadMode.LENIENT).build();
    static final TlsRptReportReader STRICT =
            TlsRptReportReader.builder().mode(ReadMode.STRICT).build();

    static TlsRptReading lenient(String name) {
        return LENIENT.read(bytes(name));
    }

    static TlsRptReading lenientMail(String name) {
        MailReadOutcome outcome = LENIENT.readMail(bytes(name), Fixtures.SIGNED);
        if (outcome instanceof MailReadOutcome.Report r) {
            return r.reading();
        }
        throw new AssertionError("not a report: " + outcome);
    }

    static List<ReportIssue> issues(TlsRptReading reading) {
        return reading.warnings().stream().map(ReportWarning::issue).toList();
    }
}
