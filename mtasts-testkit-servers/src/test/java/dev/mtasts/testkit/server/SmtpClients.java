package dev.mtasts.testkit.server;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

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
     * Delivers one message over STARTTLS with SNI and the JDK's host name check for {@code mxHost}
     * (what an MTA-STS sender does, RFC 8461 §4.2, §7.1), trusting {@code ca}.
     */
    static void send(int port, TestCertificateAuthority ca, String mxHost, boolean requireTls)
            throws MessagingException {
        Properties props = properties(port, requireTls);
        props.put(
                "mail.smtp.ssl.socketFactory",
                new MxSocketFactory(ca.clientSslContext().getSocketFactory(), mxHost));
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

    /** Layers TLS for the MX name whatever host the client dialled: SNI and HTTPS-style name check. */
    private static final class MxSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final String mxHost;

        MxSocketFactory(SSLSocketFactory delegate, String mxHost) {
            this.delegate = delegate;
            this.mxHost = mxHost;
        }

        private Socket named(Socket socket) {
            SSLSocket tls = (SSLSocket) socket;
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(mxHost)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            return tls;
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return named(delegate.createSocket(s, mxHost, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return named(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return named(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return named(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return named(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
