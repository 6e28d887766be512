package dev.mtasts.tlsrpt.mail;

import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.TlsRptReport;
import dev.mtasts.tlsrpt.internal.DomainNames;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Composes the report e-mail of RFC 8460 §5.3 with Jakarta Mail (Angus): {@code multipart/report;
 * report-type="tlsrpt"} with a {@code text/plain} part and the report as an {@code
 * application/tlsrpt+gzip} (or {@code +json}) attachment named per §5.1 (RPT-MAIL-1, RPT-MAIL-2),
 * the Subject, {@code TLS-Report-Domain} and {@code TLS-Report-Submitter} headers (RPT-MAIL-3,
 * RPT-MAIL-4), {@code TLS-Required: No} and {@code Auto-Submitted} (RPT-MAIL-6), then DKIM-signed
 * (RPT-MAIL-5).
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsRptMailComposer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final InternetAddress from;
    private final String submitter;
    private final @Nullable DkimSigner signer;
    private final boolean gzip;
    private final Clock clock;
    private final Session session = Session.getInstance(new Properties());

    private TlsRptMailComposer(Builder b) {
        this.from = Objects.requireNonNull(b.from, "from");
        this.submitter = Objects.requireNonNull(b.submitter, "submitter");
        this.signer = b.signer;
        this.gzip = b.gzip;
        this.clock = b.clock;
    }

    /** A builder; {@code from}, {@code submitter} and a signer (or explicit unsigned mode) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The submitter domain this composer writes into {@code TLS-Report-Submitter}. */
    public String submitter() {
        return submitter;
    }

    /** The envelope sender to use with {@link MailSender}. */
    public String envelopeFrom() {
        return from.getAddress();
    }

    /**
     * The signed message for {@code report} to {@code recipients} ({@code mailto:} addresses).
     *
     * @throws IllegalArgumentException when the report's contact-info domain is not the submitter
     *     (RPT-MAIL-3: mismatched configuration is rejected)
     */
    public byte[] compose(DailyReport daily, List<String> recipients) {
        return compose(daily, recipients, gzip);
    }

    /**
     * As {@link #compose(DailyReport, List)}, attaching {@code application/tlsrpt+gzip} when {@code
     * gzip} is true and {@code +json} otherwise (RPT-MAIL-1), whatever {@link Builder#gzip} says.
     *
     * @throws IllegalArgumentException as {@link #compose(DailyReport, List)}
     */
    public byte[] compose(DailyReport daily, List<String> recipients, boolean gzip) {
        TlsRptReport report = daily.report();
        String contactDomain = report.contactDomain().orElse("");
        if (!contactDomain.equalsIgnoreCase(submitter)) {
            throw new IllegalArgumentException("TLS-Report-Submitter " + submitter
                    + " must equal the contact-info domain '" + contactDomain + "' (RFC 8460 §5.3)");
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        try {
            String messageId =
                    "<" + HexFormat.of().formatHex(randomBytes()) + "." + clock.millis() + "@" + submitter + ">";
            MimeMessage msg = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    // The default asks the local host name (a DNS lookup); ours is local and stable.
                    setHeader("Message-ID", messageId);
                }
            };
            msg.setFrom(from);
            for (String r : recipients) {
                msg.addRecipient(Message.RecipientType.TO, new InternetAddress(r, true));
            }
            msg.setSentDate(Date.from(clock.instant()));
            // RPT-MAIL-4: folded only at FWS (Jakarta Mail folds at whitespace).
            msg.setSubject(
                    headerValue(
                            "Subject",
                            "Report Domain: " + daily.policyDomain() + " Submitter: " + submitter + " Report-ID: <"
                                    + report.reportId() + ">"),
                    "US-ASCII");
            msg.setHeader("TLS-Report-Domain", headerValue("TLS-Report-Domain", daily.policyDomain()));
            msg.setHeader("TLS-Report-Submitter", submitter);
            msg.setHeader("TLS-Required", "No");
            msg.setHeader("Auto-Submitted", "auto-generated");

            MimeBodyPart text = new MimeBodyPart();
            text.setText(humanText(daily, gzip), "UTF-8");
            MimeBodyPart attachment = new MimeBodyPart();
            String type = gzip ? "application/tlsrpt+gzip" : "application/tlsrpt+json";
            byte[] body = gzip ? report.toGzip() : report.toJson();
            attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(body, type)));
            attachment.setFileName(headerValue("filename", daily.filename(gzip)));
            attachment.setDisposition(MimeBodyPart.ATTACHMENT);
            attachment.setHeader("Content-Transfer-Encoding", "base64");
            MimeMultipart multipart = new MimeMultipart("report");
            multipart.addBodyPart(text);
            multipart.addBodyPart(attachment);
            msg.setContent(multipart);
            msg.saveChanges();
            // RPT-MAIL-1: always quote report-type (RFC 6522); ContentType.toString would not.
            msg.setHeader("Content-Type", multipart.getContentType() + "; report-type=\"tlsrpt\"");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            msg.writeTo(out);
            byte[] unsigned = out.toByteArray();
            return signer == null ? unsigned : signer.sign(unsigned, DkimSigner.REPORT_HEADERS);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("cannot compose report message: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code value} unchanged, or an exception when it holds a CR, LF or other control character:
     * a header value must never be able to start a header of its own (RPT-MAIL-3, RPT-MAIL-4).
     */
    static String headerValue(String header, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        header + " must not contain control characters: '" + DomainNames.printable(value) + "'");
            }
        }
        return value;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private String humanText(DailyReport daily, boolean gzip) {
        long ok = 0;
        long failed = 0;
        for (PolicyEntry e : daily.report().policies()) {
            ok += e.summary().totalSuccessfulSessionCount().orElse(0);
            failed += e.summary().totalFailureSessionCount().orElse(0);
        }
        return "This is an aggregate SMTP TLS report (RFC 8460) from " + submitter + " for " + daily.policyDomain()
                + " covering " + daily.day() + " (UTC).\r\n"
                + "Successful sessions: " + ok + ", failed sessions: " + failed + ".\r\n"
                + "The report is attached as " + daily.filename(gzip) + ".\r\n";
    }

    /** Configures a {@link TlsRptMailComposer}; not thread-safe. */
    public static final class Builder {
        private @Nullable InternetAddress from;
        private @Nullable String submitter;
        private @Nullable DkimSigner signer;
        private boolean unsigned;
        private boolean gzip = true;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The From address; it must be at the submitter domain (RPT-MAIL-6). */
        public Builder from(String address) {
            try {
                InternetAddress a = new InternetAddress(address, true);
                this.from = a;
            } catch (AddressException e) {
                throw new IllegalArgumentException("from is not an address: '" + address + "'", e);
            }
            return this;
        }

        /** The submitter domain for {@code TLS-Report-Submitter} (RPT-MAIL-3). */
        public Builder submitter(String domain) {
            // RPT-MAIL-3: written into TLS-Report-Submitter and the Subject, so an LDH A-label only.
            this.submitter = DomainNames.aLabel("submitter", domain);
            return this;
        }

        /** The DKIM signer of the reporting domain (RPT-MAIL-5). */
        public Builder dkimSigner(DkimSigner signer) {
            this.signer = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /** Compose unsigned messages: for tests only, receivers drop unsigned reports (RPT-MAIL-5). */
        public Builder unsignedForTesting() {
            this.unsigned = true;
            return this;
        }

        /** Attach {@code application/tlsrpt+gzip} (default true) or {@code +json} in {@link #compose(DailyReport, List)}. */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /** The clock for the Date header. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The composer. */
        public TlsRptMailComposer build() {
            if (from == null || submitter == null) {
                throw new IllegalStateException("from and submitter are required");
            }
            String fromDomain = from.getAddress().substring(from.getAddress().lastIndexOf('@') + 1);
            if (!fromDomain.equalsIgnoreCase(submitter)) {
                throw new IllegalStateException("From " + from.getAddress() + " must be at the submitter domain "
                        + submitter + " (RPT-MAIL-6)");
            }
            if (signer == null && !unsigned) {
                throw new IllegalStateException(
                        "a DKIM signer is required (RFC 8460 §3); use unsignedForTesting() only in tests");
            }
            return new TlsRptMailComposer(this);
        }
    }
}
