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

    static final TlsRptReportReader LENIENT =
            TlsRptReportReader.builder().mode(ReadMode.LENIENT).build();
    static final TlsRptReportReader STRICT =
            TlsRptReportReader.builder().mode(ReadMode.STRICT).build();

    static TlsRptReading lenient(String name) {
        return LENIENT.read(bytes(name));
    }

    static List<ReportIssue> issues(TlsRptReading reading) {
        return reading.warnings().stream().map(ReportWarning::issue).toList();
    }
}
