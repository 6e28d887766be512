package dev.mtasts.core.tls;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An MxTls client in a JVM of its own, so JDK system properties can differ from the test's: {@code
 * RenegotiationClientMain TRUST.p12 PORT MX} connects twice (the second connection resumes the first
 * session), reads "x" and, after the server renegotiates, "y"; prints {@code ok} or {@code failure
 * RESULT-TYPE REASON-CODE}.
 */
final class RenegotiationClientMain {
    private RenegotiationClientMain() {}

    public static void main(String[] args) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(args[0])) {
            trust.load(in, RenegotiatingTlsServer.PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        MxTls tls = MxTls.builder()
                .pkixTrustManager((X509TrustManager) tmf.getTrustManagers()[0])
                .build();
        int port = Integer.parseInt(args[1]);
        try (SSLSocket warmUp =
                (SSLSocket) tls.socketFactory(args[2]).createSocket(InetAddress.getLoopbackAddress(), port)) {
            warmUp.setSoTimeout(20_000);
            warmUp.getInputStream().read();
        }
        try (SSLSocket socket =
                (SSLSocket) tls.socketFactory(args[2]).createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            socket.getInputStream().read();
            socket.getInputStream().read();
            socket.getOutputStream().write('z');
            socket.getOutputStream().flush();
            System.out.println("ok");
        } catch (Exception e) {
            TlsSessionOutcome outcome = TlsFailureClassifier.classify(e);
            if (outcome instanceof TlsSessionOutcome.Failed f) {
                System.out.println("failure " + f.resultType().token() + " "
                        + f.reasonCode().orElse("-"));
            } else {
                System.out.println("not-reportable " + e);
            }
        }
    }
}
