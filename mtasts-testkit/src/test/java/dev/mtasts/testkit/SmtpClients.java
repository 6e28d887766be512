package dev.mtasts.testkit;

import dev.mtasts.core.tls.MxTls;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** An Angus Mail client delivering to a fake MX on 127.0.0.1, as an MTA would. */
final class SmtpClients {
    private SmtpClients() {}

    static Properties properties(int port, boolean requireTls) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", Boolean.toString(requireTls));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        props.put("mail.smtp.localhost", "client.example.org");
        return props;
    }

    /**
     * Delivers one message over STARTTLS with SNI and name checks for {@code mxHost}, through the
     * core's {@link MxTls} (RFC 8461 §4.2, §7.1), trusting {@code ca}.
     */
    static void send(int port, TestCertificateAuthority ca, String mxHost, boolean requireTls)
            throws MessagingException {
        Properties props = properties(port, requireTls);
        MxTls tls = MxTls.builder().pkixTrustManager(ca.trustManager()).build();
        props.put("mail.smtp.ssl.socketFactory", tls.socketFactory(mxHost));
        // Angus would check the name against the dialled IP; the factory checks the MX name instead.
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        send(props);
    }

    static void send(Properties props) throws MessagingException {
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.com"));
        message.setSubject("MTA-STS test");
        message.setText("Hello over TLS.\n.leading dot line\n");
        Transport.send(message);
    }
}
