package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.tlsrpt.DateRange;
import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.PolicySummary;
import dev.mtasts.tlsrpt.ReportedPolicy;
import dev.mtasts.tlsrpt.TlsRptReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The optional active checks of an {@code https:} rua (RFC 8460 §3, §5.3): whether its host
 * resolves and presents a valid certificate ({@code rpt.rua.https}), and whether it accepts a POST
 * of a small real report ({@code rpt.rua.post}). Both are off by default: the POST files a report.
 */
final class RuaProbe {
    /** What the probe report says it is, so a receiver can tell it from a real one. */
    static final String ORGANIZATION = "mtasts-java domain checker (test report)";

    private RuaProbe() {}

    /** {@code rpt.rua.https}: the host resolves (through the checker's DNS) and its certificate is valid. */
    static void checkHttps(CheckContext ctx, URI uri) {
        String host = uri.getHost();
        if (host == null) {
            ctx.emit(
                    Finding.of(Check.RPT_RUA_HTTPS, Severity.WARNING, "rua " + uri + " names no host", uri.toString()));
            return;
        }
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        DnsResult<InetAddress> addresses = await(ctx, host);
        if (!(addresses instanceof DnsResult.Records<InetAddress> records)) {
            String why = addresses instanceof DnsResult.Unavailable<InetAddress> u
                    ? "its address lookup failed (" + u.detail() + ")"
                    : "it has no A or AAAA record";
            ctx.emit(Finding.of(
                    Check.RPT_RUA_HTTPS,
                    Severity.WARNING,
                    "the host " + host + " of rua " + uri + " does not resolve: " + why
                            + ", so reporters cannot deliver there",
                    uri.toString()));
            return;
        }
        InetAddress address = records.values().get(0);
        X509Certificate[] chain;
        try {
            chain = handshake(ctx, host, new InetSocketAddress(address, port));
        } catch (IOException e) {
            ctx.emit(Finding.of(
                    Check.RPT_RUA_HTTPS,
                    Severity.WARNING,
                    "the TLS handshake with " + host + " (" + address.getHostAddress() + ":" + port + ") for rua " + uri
                            + " failed: " + e.getMessage(),
                    uri.toString()));
            return;
        }
        Instant now = ctx.options().clock().instant();
        CertificateVerdict verdict = CertificateVerdict.judge(chain, host, ctx.pkix(), now);
        if (!verdict.acceptable()) {
            ctx.emit(Finding.of(
                    Check.RPT_RUA_HTTPS,
                    Severity.WARNING,
                    "the certificate of " + host + " for rua " + uri + " is not valid for it (" + problem(verdict)
                            + "), so reporters refuse to deliver there",
                    uri.toString(),
                    chain[0].getSubjectX500Principal().getName()));
        }
    }

    private static String problem(CertificateVerdict v) {
        if (v.pkixFailure().isPresent()) {
            return "not trusted: " + v.pkixFailure().get();
        }
        if (v.expired()) {
            return "expired";
        }
        if (v.notYetValid()) {
            return "not yet valid";
        }
        return "no subjectAltName dNSName matches the host";
    }

    private static DnsResult<InetAddress> await(CheckContext ctx, String host) {
        try {
            return ctx.dns()
                    .addressesAsync(host)
                    .toCompletableFuture()
                    .get(ctx.options().dnsTimeout().multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DnsResult.temporaryFailure(DnsResult.FailureKind.TIMEOUT, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return DnsResult.temporaryFailure(DnsResult.FailureKind.TIMEOUT, String.valueOf(e.getMessage()));
        }
    }

    private static X509Certificate[] handshake(CheckContext ctx, String host, InetSocketAddress to) throws IOException {
        int timeout =
                (int) Math.min(Integer.MAX_VALUE, ctx.options().httpTimeout().toMillis());
        try (SSLSocket socket =
                (SSLSocket) ctx.handshakeContext().getSocketFactory().createSocket()) {
            socket.setSoTimeout(timeout);
            SSLParameters params = socket.getSSLParameters();
            try {
                params.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException e) {
                // an IP literal: no SNI
            }
            socket.setSSLParameters(params);
            socket.connect(to, timeout);
            socket.startHandshake();
            Certificate[] peer = socket.getSession().getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[peer.length];
            for (int i = 0; i < peer.length; i++) {
                chain[i] = (X509Certificate) peer[i];
            }
            return chain;
        }
    }

    /**
     * {@code rpt.rua.post}: a POST of a small real report, {@code application/tlsrpt+gzip}, gets a
     * 2xx (RFC 8460 §5.3). Sent as a reporter sends it: the JDK HTTP client, the system's name
     * resolution, certificates checked against the run's trust, redirects not followed.
     */
    static void checkPost(CheckContext ctx, URI uri) {
        byte[] body = probeReport(ctx).toGzip();
        HttpClient client;
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {ctx.pkix()}, null);
            client = HttpClient.newBuilder()
                    .sslContext(ssl)
                    .connectTimeout(ctx.options().httpTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context: " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(ctx.options().httpTimeout())
                .header("Content-Type", "application/tlsrpt+gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                String location = response.headers()
                        .firstValue("Location")
                        .map(l -> " (Location: " + l + ", not followed)")
                        .orElse("");
                ctx.emit(Finding.of(
                        Check.RPT_RUA_POST,
                        Severity.WARNING,
                        "rua " + uri + " answered a POST of a small test report with HTTP " + status + location
                                + "; reporters expect a 2xx and otherwise retry or give up",
                        "HTTP " + status));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            ctx.emit(Finding.of(
                    Check.RPT_RUA_POST,
                    Severity.WARNING,
                    "a POST of a small test report to rua " + uri + " failed: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    uri.toString()));
        }
    }

    /** A real, canonical report with one empty {@code no-policy-found} entry, marked as a test. */
    static TlsRptReport probeReport(CheckContext ctx) {
        Instant now = ctx.options().clock().instant();
        return TlsRptReport.of(
                ORGANIZATION,
                DateRange.ofDay(now.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1)),
                "mailto:postmaster@invalid",
                "mtasts-checker-test-" + now.toEpochMilli() + "@" + ctx.domain(),
                List.of(PolicyEntry.of(ReportedPolicy.noPolicyFound(ctx.domain()), PolicySummary.of(0, 0), List.of())));
    }
}
