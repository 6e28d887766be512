package dev.mtasts.testkit;

import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * A JDK {@code HttpClient} reaching the world's policy host as a fetcher would: {@code
 * 127.0.0.1:port} with SNI {@code mta-sts.<domain>}, the certificate checked against that name.
 */
final class PolicyClients {
    private PolicyClients() {}

    /** A new context per client: a shared one would resume the first session and re-send its SNI. */
    static SSLContext freshContext(TestCertificateAuthority ca) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[] {ca.trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(SSLContext context, String domain, int port) throws IOException {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("mta-sts." + domain)));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(parameters)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + FakePolicyHost.WELL_KNOWN_PATH))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
