package dev.mtasts.cli;

import dev.mtasts.core.delivery.Delivery;
import dev.mtasts.core.delivery.DeliveryRefusedException;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.delivery.MxAttempt;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A sending MTA as small as the demo allows, wired like {@code SampleSender} of mtasts-examples: core's
 * {@link MtaSts} for the policy, one Angus Mail {@link Session} whose socket factories are {@link
 * DeliveryTls}'s, the MX hosts walked one at a time under the policy, every TLS outcome counted by a
 * {@link TlsRptRecorder}. Not thread-safe: the demo sends one message at a time.
 */
final class DemoSender implements AutoCloseable {
    private final DnsResolver dns;
    private final int smtpPort;
    private final MtaSts mtaSts;
    private final DeliveryTls deliveryTls;
    private final TlsRptRecorder recorder;
    private final Session session;

    DemoSender(MultiAddressWorld world) {
        this.dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        this.smtpPort = world.smtpPort();
        // The world's policy hosts listen on loopback at one port, and trust only the world's CA.
        this.mtaSts = MtaSts.builder()
                .dns(dns)
                .fetcher(PolicyFetcher.https()
                        .dns(dns)
                        .sslContext(world.certificateAuthority().clientSslContext())
                        .port(world.httpsPort())
                        .timeout(Duration.ofSeconds(5))
                        .allowLoopback()
                        .build())
                .build();
        this.recorder = TlsRptRecorder.builder()
                .defaultSendingIp(InetAddress.getLoopbackAddress())
                .build();
        this.deliveryTls = DeliveryTls.builder()
                .mxTls(MxTls.builder()
                        .pkixTrustManager(world.certificateAuthority().trustManager())
                        .build())
                .listener(recorder.sessionListener())
                .build();
        this.session = Session.getInstance(mailProperties(deliveryTls));
    }

    /** What became of one message. */
    record Outcome(
            Kind kind, Optional<String> mxHost, MxDecision decision, Optional<TlsSessionOutcome> tls, String detail) {
        /** Delivered, or kept back. */
        enum Kind {
            /** The MX accepted the message. */
            DELIVERED,
            /** The policy forbade every MX, or none could be used: the message stays queued. */
            REFUSED
        }
    }

    /** The sender's view of {@code domain}'s policy (cached after the first look-up). */
    PolicyResult policyFor(String domain) {
        return mtaSts.policyFor(domain);
    }

    /** The MX host names of {@code domain}, most preferred first. */
    List<String> mxHosts(String domain) {
        DnsResult<MxRecord> mx = dns.mx(domain);
        if (mx instanceof DnsResult.Records<MxRecord> records) {
            return records.values().stream()
                    .sorted(Comparator.comparingInt(MxRecord::preference))
                    .map(MxRecord::exchange)
                    .toList();
        }
        return List.of();
    }

    /** The recorder every SMTP session was reported to. */
    TlsRptRecorder recorder() {
        return recorder;
    }

    /** Sends one message to {@code postmaster@domain}, enforcing the domain's policy. */
    Outcome send(String domain) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("demo@sender.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("postmaster@" + domain));
        message.setSubject("mtasts demo");
        message.setText("Delivered under the MTA-STS policy of " + domain + ".\r\n");
        PolicyResult policy = mtaSts.policyFor(domain);
        try (Delivery delivery = deliveryTls.start(policy);
                Delivery.Binding bound = delivery.bindToCurrentThread()) {
            if (delivery.mustDefer()) {
                return refused(MxDecision.DEFER, "the policy of " + domain + " is unavailable: deferred");
            }
            List<String> notes = new ArrayList<>();
            MxDecision last = MxDecision.UNCONSTRAINED;
            for (String mxHost : mxHosts(domain)) {
                MxAttempt judged = delivery.attempt(mxHost);
                last = judged.decision();
                if (!judged.allowed()) {
                    // RFC 8461 §4.1: an MX outside an enforced policy is never dialled.
                    notes.add(mxHost + " is not in the enforced policy, never dialled");
                    continue;
                }
                for (InetAddress address : addresses(mxHost)) {
                    MxAttempt attempt = delivery.attempt(mxHost, address);
                    Transport transport = session.getTransport("smtp");
                    try {
                        transport.connect(address.getHostAddress(), smtpPort, null, null);
                        attempt.connected(); // throws where the policy forbids sending on this connection
                        transport.sendMessage(message, message.getAllRecipients());
                        return new Outcome(
                                Outcome.Kind.DELIVERED,
                                Optional.of(mxHost),
                                attempt.decision(),
                                attempt.outcome(),
                                "delivered to " + mxHost);
                    } catch (MessagingException | DeliveryRefusedException e) {
                        TlsSessionOutcome outcome = attempt.failed(e);
                        notes.add(mxHost + ": " + describe(outcome, e));
                    } finally {
                        closeQuietly(transport);
                    }
                }
            }
            return refused(last, notes.isEmpty() ? "no MX host to try" : String.join("; ", notes));
        }
    }

    private static Outcome refused(MxDecision decision, String detail) {
        return new Outcome(Outcome.Kind.REFUSED, Optional.empty(), decision, Optional.empty(), detail);
    }

    private List<InetAddress> addresses(String mxHost) {
        DnsResult<InetAddress> found = dns.addresses(mxHost);
        return found instanceof DnsResult.Records<InetAddress> records ? records.values() : List.of();
    }

    private static String describe(TlsSessionOutcome outcome, Exception e) {
        if (outcome instanceof TlsSessionOutcome.Failed failed) {
            return failed.resultType().token() + " (" + failed.detail() + ")";
        }
        return String.valueOf(e.getMessage());
    }

    /** Angus Mail's settings, as SampleSender sets them: one session for every delivery. */
    private static Properties mailProperties(DeliveryTls deliveryTls) {
        Properties props = new Properties();
        // Always try STARTTLS; MxAttempt.connected() refuses plaintext where the policy is enforced.
        props.put("mail.smtp.starttls.enable", "true");
        // Our trust manager checks the MX host name (RFC 8461 §4.2); Angus would check the address dialled.
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.ssl.socketFactory", deliveryTls.sharedSocketFactory());
        props.put("mail.smtp.socketFactory", deliveryTls.sharedPlainSocketFactory());
        props.put("mail.smtp.socketFactory.fallback", "false");
        props.put("mail.smtp.localhost", "sender.example");
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        return props;
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            // the message was accepted or refused already
        }
    }

    @Override
    public void close() {
        mtaSts.close();
    }
}
