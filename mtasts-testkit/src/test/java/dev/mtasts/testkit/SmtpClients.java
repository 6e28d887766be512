package dev.mtasts.testkit;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** An Angus Mail client delivering to a fake MX on 127.0.0.1, as an MTA would. */
final class SmtpClients {
    private SmtpClients() {}

    /**
     * Layers TLS for one MX name whatever host Angus passes (here the IP literal): SNI and endpoint
     * identification use the MX name (RFC 8461 §4.2, §7.1).
     */
    static final class MxSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final String mxHost;

        MxSocketFactory(SSLContext context, String mxHost) {
            this.delegate = context.getSocketFactory();
            this.mxHost = mxHost;
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            SSLSocket ssl = (SSLSocket) delegate.createSocket(socket, mxHost, port, autoClose);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(parameters);
            return ssl;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return delegate.createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return delegate.createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return delegate.createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return delegate.createSocket(address, port, localAddress, localPort);
        }
    }

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

    /** Delivers one message over STARTTLS with SNI and name checks for {@code mxHost}. */
    static void send(int port, SSLContext context, String mxHost, boolean requireTls) throws MessagingException {
        Properties props = properties(port, requireTls);
        props.put("mail.smtp.ssl.socketFactory", new MxSocketFactory(context, mxHost));
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
