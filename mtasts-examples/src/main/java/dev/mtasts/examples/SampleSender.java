package dev.mtasts.examples;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.delivery.Delivery;
import dev.mtasts.core.delivery.DeliveryRefusedException;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.delivery.MxAttempt;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.DailyReportAssembler;
import dev.mtasts.tlsrpt.DeliveryResult;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import dev.mtasts.tlsrpt.TxtLookup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.jspecify.annotations.Nullable;

/**
 * A sending MTA reduced to what MTA-STS and TLS reporting need: one Angus Mail {@link Session} for
 * every delivery, the MX hosts of a domain tried one at a time under the domain's policy, each SMTP
 * session reported to the TLSRPT recorder, and the daily reports posted. Thread-safe: each {@link
 * #send} binds its {@link Delivery} to its own thread, which is how one session serves them all.
 */
public final class SampleSender {
    private final MtaSts mtaSts;
    private final DeliveryTls deliveryTls;
    private final MxLookup mx;
    private final TlsRptRecorder recorder;
    private final DailyReportAssembler reports;
    private final TlsRptDeliverer reportDeliverer;
    private final TxtLookup txt;
    private final Session session;

    /**
     * A sender. {@code deliveryTls} must report to {@code recorder.sessionListener()}, or the reports
     * stay empty; DNS serves the MX look-ups and the {@code _smtp._tls} records unless {@code mx} is given.
     */
    public SampleSender(
            MtaSts mtaSts,
            DeliveryTls deliveryTls,
            DnsResolver dns,
            MxLookup mx,
            TlsRptRecorder recorder,
            DailyReportAssembler reports,
            TlsRptDeliverer reportDeliverer) {
        this.mtaSts = requireNonNull(mtaSts, "mtaSts");
        this.deliveryTls = requireNonNull(deliveryTls, "deliveryTls");
        this.txt = TxtLookup.of(requireNonNull(dns, "dns"));
        this.mx = requireNonNull(mx, "mx");
        this.recorder = requireNonNull(recorder, "recorder");
        this.reports = requireNonNull(reports, "reports");
        this.reportDeliverer = requireNonNull(reportDeliverer, "reportDeliverer");
        this.session = Session.getInstance(mailProperties(deliveryTls));
    }

    /** The Angus Mail settings: the same for every delivery, set once. */
    static Properties mailProperties(DeliveryTls deliveryTls) {
        Properties props = new Properties();
        // Always try STARTTLS, never require it here: MxAttempt.connected() refuses plaintext
        // where the policy is enforced (RFC 8461 §5) and lets it through where it is not.
        props.put("mail.smtp.starttls.enable", "true");
        // Our trust manager checks the MX host name (RFC 8461 §4.2); Angus would check the address dialled.
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        // Both factories act for the Delivery bound to the calling thread, so one Session serves all.
        props.put("mail.smtp.ssl.socketFactory", deliveryTls.sharedSocketFactory());
        props.put("mail.smtp.socketFactory", deliveryTls.sharedPlainSocketFactory());
        // A refused connection must stay refused, not be retried on a socket nobody checks.
        props.put("mail.smtp.socketFactory.fallback", "false");
        props.put("mail.smtp.connectiontimeout", "30000");
        props.put("mail.smtp.timeout", "60000");
        return props;
    }

    /** The one mail session; build messages with it. */
    public Session session() {
        return session;
    }

    /** Sends {@code message} to its recipients in {@code recipientDomain}. Blocks for the SMTP dialogue. */
    public SendResult send(MimeMessage message, String recipientDomain) throws MessagingException {
        Address[] recipients = recipientsIn(message, recipientDomain);
        if (recipients.length == 0) {
            return new SendResult.Failed("no recipient in " + recipientDomain);
        }
        PolicyResult policy = mtaSts.policyFor(recipientDomain);
        try (Delivery delivery = deliveryTls.start(policy);
                Delivery.Binding bound = delivery.bindToCurrentThread()) {
            if (delivery.mustDefer()) {
                // RFC 8461 §10.2: an unknown policy is a temporary failure, never "no policy".
                return new SendResult.Deferred("the MTA-STS policy of " + recipientDomain + " is unavailable");
            }
            List<String> mxHosts;
            try {
                mxHosts = mx.mxHosts(recipientDomain);
            } catch (IOException e) {
                return new SendResult.Deferred(String.valueOf(e.getMessage()));
            }
            if (mxHosts.isEmpty()) {
                return new SendResult.Failed(recipientDomain + " accepts no mail (null MX)");
            }
            String lastError = "no MX host of " + recipientDomain + " could be reached";
            for (String mxHost : mxHosts) {
                // Judge the MX before resolving it: one outside an enforced policy is never dialled,
                // and closing the delivery counts it if no MX was usable (STS-APP-1, STS-OUT-2).
                if (!delivery.attempt(mxHost).allowed()) {
                    continue;
                }
                List<InetSocketAddress> addresses;
                try {
                    addresses = mx.addresses(mxHost);
                } catch (IOException e) {
                    lastError = String.valueOf(e.getMessage());
                    continue;
                }
                for (InetSocketAddress address : addresses) {
                    // One attempt per connection, so each is reported on its own (RFC 8460 §4.4).
                    MxAttempt attempt = delivery.attempt(mxHost, address.getAddress());
                    Transport transport = session.getTransport("smtp");
                    try {
                        transport.connect(address.getHostString(), address.getPort(), null, null);
                        attempt.connected(); // throws if the policy forbids sending on this connection
                        transport.sendMessage(message, recipients);
                        return new SendResult.Delivered(mxHost);
                    } catch (MessagingException | DeliveryRefusedException e) {
                        attempt.failed(e);
                        if (isPermanent(e)) {
                            return new SendResult.Failed(mxHost + ": " + e.getMessage());
                        }
                        lastError = mxHost + ": " + e.getMessage();
                    } finally {
                        closeQuietly(transport);
                    }
                }
            }
            if (delivery.mustDefer()) {
                lastError = "no MX host of " + recipientDomain + " is in its enforced MTA-STS policy";
            }
            return new SendResult.Deferred(lastError);
        }
    }

    /**
     * Drains the completed UTC days from the recorder, builds their reports and starts posting each
     * to the {@code rua} of its domain's {@code _smtp._tls} record (RFC 8460 §3, §5). Run it a few
     * hours after 00:00 UTC (RPT-DAY-3); the futures complete when each report is delivered or given up.
     */
    public List<CompletableFuture<DeliveryResult>> sendReports() {
        List<CompletableFuture<DeliveryResult>> deliveries = new ArrayList<>();
        for (DailyReport report : reports.assemble(recorder.drainCompletedDays())) {
            deliveries.add(reportDeliverer.deliver(report, txt));
        }
        return deliveries;
    }

    private static Address[] recipientsIn(MimeMessage message, String domain) throws MessagingException {
        List<Address> in = new ArrayList<>();
        Address[] all = message.getAllRecipients();
        for (Address address : all == null ? new Address[0] : all) {
            if (address instanceof InternetAddress internet
                    && internet.getAddress().toLowerCase(Locale.ROOT).endsWith("@" + domain.toLowerCase(Locale.ROOT))) {
                in.add(address);
            }
        }
        return in.toArray(new Address[0]);
    }

    /** A 5xx reply to the message or to every recipient is final; anything else, try the next MX. */
    private static boolean isPermanent(Exception e) {
        for (@Nullable Exception x = e;
                x != null;
                x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPSendFailedException failed && failed.getReturnCode() >= 500) {
                return true;
            }
            if (x instanceof SMTPAddressFailedException failed && failed.getReturnCode() >= 500) {
                return true;
            }
        }
        return false;
    }

    /** The message is delivered once DATA was accepted: a failed QUIT must not send it again. */
    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            // nothing to undo
        }
    }
}
