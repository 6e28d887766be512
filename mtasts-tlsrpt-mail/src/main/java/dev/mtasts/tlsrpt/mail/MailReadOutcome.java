package dev.mtasts.tlsrpt.mail;

import dev.mtasts.tlsrpt.TlsRptReading;
import java.util.Objects;

/** What reading an e-mail found: a TLS report, or a message that carries none. */
public sealed interface MailReadOutcome {
    /**
     * The message carries a TLS report.
     *
     * @param reading the report, its warnings and the mail metadata
     */
    record Report(TlsRptReading reading) implements MailReadOutcome {
        /** Checks the reading is present. */
        public Report {
            Objects.requireNonNull(reading, "reading");
        }
    }

    /**
     * The message is not a TLS report (no report part at all).
     *
     * @param reason why, for logs
     */
    record NotAReport(String reason) implements MailReadOutcome {
        /** Checks the reason is present. */
        public NotAReport {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
