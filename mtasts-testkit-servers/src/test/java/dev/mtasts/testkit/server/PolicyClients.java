package dev.mtasts.testkit.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The reaching-the-policy-host seam as a test client uses it: connect to {@code 127.0.0.1:port}, send
 * SNI {@code mta-sts.<domain>}; the JDK then checks the certificate against the SNI name.
 */
final class PolicyClients {
    private PolicyClients() {}

    /**
     * A new client context trusting the CA. One per client on purpose: the JDK caches TLS sessions by
     * peer address, so with a shared context a second connection to the same {@code 127.0.0.1:port}
     * resumes the first one's session and re-sends its SNI (see docs/testkit.md).
     */
    static SSLContext freshContext(TestCertificateAuthority ca) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[] {ca.trustManager()}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpClient client(SSLContext context, String domain) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("mta-sts." + domain)));
        return HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(parameters)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static HttpRequest request(int port, Duration timeout) {
        return request(port, FakePolicyHost.WELL_KNOWN_PATH, timeout);
    }

    static HttpRequest request(int port, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(timeout)
                .GET()
                .build();
    }

    static HttpResponse<String> get(SSLContext context, String domain, int port) throws IOException {
        try {
            return client(context, domain)
                    .send(request(port, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The response head of a GET sent over a plain TLS socket: for faults HttpClient would hide. */
    static String rawHead(FakePolicyHost host, String domain) throws IOException {
        SSLContext context = freshContext(host.certificateAuthority());
        try (javax.net.ssl.SSLSocket socket =
                (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", host.port())) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("mta-sts." + domain)));
            socket.setSSLParameters(parameters);
            socket.getOutputStream()
                    .write(("GET " + FakePolicyHost.WELL_KNOWN_PATH + " HTTP/1.1\r\nHost: mta-sts." + domain
                                    + "\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
                head.append((char) b);
            }
            return head.toString();
        }
    }
}
