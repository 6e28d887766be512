package dev.mtasts.bench;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Cold lookups against real servers (scripts/bench/cold-lookup.sh: unbound and nginx on loopback):
 * one {@code MtaSts.policyFor} per domain listed, each domain once, timed one after the other.
 * Prints one line per lookup ({@code ms domain result}) and then p50/p90 in milliseconds.
 *
 * <p>{@code java -cp benchmarks.jar dev.mtasts.bench.ColdLookupMain DNS_HOST:PORT HTTPS_PORT CA.pem
 * DOMAINS_FILE}
 */
public final class ColdLookupMain {
    private ColdLookupMain() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ColdLookupMain DNS_HOST:PORT HTTPS_PORT CA.pem DOMAINS_FILE");
            System.exit(2);
        }
        String[] dnsHostPort = args[0].split(":", 2);
        InetSocketAddress dnsServer = new InetSocketAddress(dnsHostPort[0], Integer.parseInt(dnsHostPort[1]));
        int httpsPort = Integer.parseInt(args[1]);
        List<String> domains = Files.readAllLines(Path.of(args[3])).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();

        DnsResolver dns = DnsResolver.dnsjava(dnsServer, Duration.ofSeconds(5));
        try (MtaSts mtaSts = MtaSts.builder()
                .dns(dns)
                .fetcher(PolicyFetcher.https()
                        .dns(dns)
                        .sslContext(trusting(Path.of(args[2])))
                        .port(httpsPort)
                        .allowLoopback()
                        .timeout(Duration.ofSeconds(10))
                        .build())
                .build()) {
            List<Double> millis = new ArrayList<>();
            for (String domain : domains) {
                long start = System.nanoTime();
                PolicyResult result = mtaSts.policyFor(domain);
                double ms = (System.nanoTime() - start) / 1e6;
                millis.add(ms);
                System.out.printf("%.3f %s %s%n", ms, domain, result.getClass().getSimpleName());
            }
            System.out.printf("first %.2f%n", millis.get(0));
            double[] rest = millis.subList(1, millis.size()).stream()
                    .mapToDouble(Double::doubleValue)
                    .sorted()
                    .toArray();
            System.out.printf(
                    "p50 %.2f p90 %.2f n %d (after the first)%n",
                    percentile(rest, 50), percentile(rest, 90), rest.length);
        }
    }

    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
