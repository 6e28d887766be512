package dev.mtasts.postfix;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sanity measure, not a test: requests per second and the 1-connection latency of a server whose
 * handler answers with an already-complete stage (the cached case). Client and server share the
 * machine, so the figures are a floor; the bench module measures end to end against C.
 *
 * <p>Run: {@code java -cp <test class path> dev.mtasts.postfix.SocketmapThroughput [seconds]}.
 */
final class SocketmapThroughput {

    private SocketmapThroughput() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        CompletableFuture<String> cached = CompletableFuture.completedFuture("OK secure match=mx.example.com");
        try (SocketmapServer server = SocketmapServer.builder((name, key) -> cached)
                .inet("127.0.0.1", 0)
                .build()
                .start()) {
            run(server.port(), 1, Duration.ofSeconds(1)); // warm-up
            run(server.port(), 50, Duration.ofSeconds(1));
            run(server.port(), 1, Duration.ofSeconds(seconds));
            run(server.port(), 50, Duration.ofSeconds(seconds));
        }
    }

    private static void run(int port, int connections, Duration duration) throws Exception {
        AtomicLong total = new AtomicLong();
        long[][] latencies = new long[connections][];
        CountDownLatch done = new CountDownLatch(connections);
        long end = System.nanoTime() + duration.toNanos();
        for (int c = 0; c < connections; c++) {
            int index = c;
            Thread t = new Thread(() -> {
                try {
                    latencies[index] = client(port, end, total);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        long[] all =
                Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf(
                "%d connection(s): %,d requests/s, p50 %.1f us, p99 %.1f us%n",
                connections,
                total.get() / duration.toSeconds(),
                all[all.length / 2] / 1000.0,
                all[(int) (all.length * 0.99)] / 1000.0);
    }

    private static long[] client(int port, long end, AtomicLong total) throws IOException {
        byte[] request = SocketmapClient.frame("postfix mail.example.com.test").getBytes(StandardCharsets.US_ASCII);
        long[] samples = new long[1 << 20];
        int n = 0;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (true) {
                long start = System.nanoTime();
                if (start > end) {
                    break;
                }
                out.write(request);
                int b;
                while ((b = in.read()) != ',') {
                    if (b < 0) {
                        throw new IOException("closed");
                    }
                }
                samples[n++ & (samples.length - 1)] = System.nanoTime() - start;
            }
        }
        total.addAndGet(n);
        return Arrays.copyOf(samples, Math.min(n, samples.length));
    }
}
