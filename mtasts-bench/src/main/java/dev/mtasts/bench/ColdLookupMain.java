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
 * one {@code MtaSts.policyFor} per domain listed, timed one after the other, in {@code ROUNDS}
 * rounds (default 5). Each round builds a new {@code MtaSts}, DNS resolver and {@code SSLContext},
 * so no lookup finds anything cached in this process (policy, DNS answer, TLS session): the rounds
 * only warm up the JIT. Prints one line per lookup of the last round ({@code ms domain result}), the
 * very first lookup of the JVM, and p50/p90 of the first and last rounds in milliseconds.
 *
 * <p>{@code java -cp benchmarks.jar dev.mtasts.bench.ColdLookupMain DNS_HOST:PORT HTTPS_PORT CA.pem
 * DOMAINS_FILE [ROUNDS]}
 */
public final class ColdLookupMain {
    private ColdLookupMain() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: ColdLookupMain DNS_HOST:PORT HTTPS_PORT CA.pem DOMAINS_FILE [ROUNDS]");
            System.exit(2);
        }
        String[] dnsHostPort = args[0].split(":", 2);
        InetSocketAddress dnsServer = new InetSocketAddress(dnsHostPort[0], Integer.parseInt(dnsHostPort[1]));
        int httpsPort = Integer.parseInt(args[1]);
        List<String> domains = Files.readAllLines(Path.of(args[3])).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();

        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        double first = Double.NaN;
        double[] firstRound = new double[0];
        double[] lastRound = new double[0];
        for (int round = 0; round < rounds; round++) {
            boolean last = round == rounds - 1;
            DnsResolver dns = DnsResolver.dnsjava(dnsServer, Duration.ofSeconds(5));
            List<Double> millis = new ArrayList<>();
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
                for (String domain : domains) {
                    long start = System.nanoTime();
                    PolicyResult result = mtaSts.policyFor(domain);
                    double ms = (System.nanoTime() - start) / 1e6;
                    millis.add(ms);
                    if (!(result instanceof PolicyResult.PolicyFound) || last) {
                        System.out.printf(
                                "%.3f %s %s%n", ms, domain, result.getClass().getSimpleName());
                    }
                }
            }
            if (round == 0) {
                first = millis.get(0);
                firstRound = millis.subList(1, millis.size()).stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
            }
            if (last) {
                lastRound = millis.stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
            }
        }
        System.out.printf("first %.2f%n", first);
        System.out.printf(
                "round1 p50 %.2f p90 %.2f n %d%n",
                percentile(firstRound, 50), percentile(firstRound, 90), firstRound.length);
        System.out.printf(
                "p50 %.2f p90 %.2f n %d (round %d)%n",
                percentile(lastRound, 50), percentile(lastRound, 90), lastRound.length, rounds);
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
