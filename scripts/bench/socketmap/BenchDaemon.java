import ch.qos.logback.classic.Level;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.postfix.PostfixDaemon;
import dev.mtasts.postfix.config.DaemonConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The daemon of {@code mtasts serve -c CONFIG -v warn}, for the benchmark's loopback world: the same
 * {@link PostfixDaemon} from the same configuration file, with the one difference the world needs.
 * Its policy hosts live on 127.0.0.1, and the daemon's fetcher refuses loopback addresses as RFC
 * 8461 §3.3 wants of a real sender (STS-HTTP-11); here the fetcher is built as the daemon builds
 * it (the configured DNS server, {@code proactive_policy_fetching.concurrency_limit} concurrent
 * fetches, the JDK's trust store) plus {@code allowLoopback()}.
 *
 * <p>Run from the runnable jar, without a build: {@code java -cp mtasts.jar BenchDaemon.java CONFIG}.
 */
public final class BenchDaemon {
    private BenchDaemon() {}

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.WARN);
        DaemonConfig cfg = DaemonConfig.read(Path.of(args[0]));
        DnsResolver dns = cfg.dnsServer().map(DnsResolver::dnsjava).orElseGet(DnsResolver::system);
        PolicyFetcher fetcher = PolicyFetcher.https()
                .dns(dns)
                .maxConcurrentFetches(cfg.proactiveFetching().concurrencyLimit())
                .allowLoopback()
                .build();
        PostfixDaemon daemon = PostfixDaemon.builder(cfg).dns(dns).fetcher(fetcher).build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
