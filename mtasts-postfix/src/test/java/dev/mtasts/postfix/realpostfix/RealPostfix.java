package dev.mtasts.postfix.realpostfix;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.testkit.server.FakeDnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** What the real-Postfix tests need from the machine, checked once; tests skip without it. */
final class RealPostfix {
    static final Path POSTMAP = Path.of("/usr/sbin/postmap");
    static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    private static volatile Optional<String> instanceProblem = Optional.empty();
    private static volatile boolean instanceChecked;

    private RealPostfix() {}

    /** Skips the test unless Debian's {@code postmap} is installed. */
    static void assumePostmap() {
        assumeTrue(Files.isExecutable(POSTMAP), "postmap is not installed (apt-get install postfix)");
    }

    /**
     * Skips the test unless a private Postfix instance can run: Postfix installed, root (master(8)
     * and the bind mounts need it), and {@code unshare}/{@code nsenter} allowed to make namespaces.
     */
    static void assumeInstances() {
        assumeTrue(Files.isExecutable(POSTFIX), "postfix is not installed (apt-get install postfix)");
        assumeTrue(isRoot(), "a Postfix instance needs root");
        // The instance's own resolv.conf is bind-mounted over this file: no file, no mount point.
        assumeTrue(Files.isRegularFile(Path.of("/etc/resolv.conf")), "no /etc/resolv.conf to mount over");
        if (!instanceChecked) {
            instanceProblem = probeNamespaces();
            instanceChecked = true;
        }
        assumeTrue(instanceProblem.isEmpty(), () -> instanceProblem.orElse(""));
        assumeTrue(ownAddress().isPresent(), "no local address other than 127.0.0.1 for inet_interfaces");
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the process's effective user
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Optional<String> probeNamespaces() {
        try {
            Process probe = new ProcessBuilder(
                            "unshare", "--mount", "--propagation", "private", "--pid", "--fork", "true")
                    .redirectErrorStream(true)
                    .start();
            String output = readAll(probe.getInputStream());
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return Optional.of("unshare did not finish");
            }
            return probe.exitValue() == 0
                    ? Optional.empty()
                    : Optional.of("unshare cannot make mount and PID namespaces here: " + output);
        } catch (IOException e) {
            return Optional.of("unshare is not available: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /**
     * An address of this machine other than 127.0.0.1, for {@code inet_interfaces}: {@code [::1]}
     * when the loopback has it, else the first other interface address. Postfix treats the addresses
     * of {@code inet_interfaces} as its own and refuses to deliver to an MX that has one of them.
     */
    static Optional<String> ownAddress() {
        try {
            Optional<String> other = Optional.empty();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet6Address && address.isLoopbackAddress()) {
                        return Optional.of("[::1]");
                    }
                    if (other.isEmpty()
                            && !address.isLoopbackAddress()
                            && !address.isLinkLocalAddress()
                            && !(address instanceof Inet6Address)) {
                        other = Optional.of(address.getHostAddress());
                    }
                }
            }
            return other;
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    /**
     * A DNS server on port 53 of an unused {@code 127.53.x.y}, for Postfix's C-library resolver
     * (which asks port 53 only). Needs root.
     */
    static FakeDnsServer dnsOnPort53() throws IOException {
        IOException last = new IOException("no free 127.53.x.y:53");
        for (int attempt = 0; attempt < 20; attempt++) {
            int x = ThreadLocalRandom.current().nextInt(1, 255);
            int y = ThreadLocalRandom.current().nextInt(1, 255);
            InetSocketAddress address =
                    new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 53, (byte) x, (byte) y}), 53);
            FakeDnsServer dns = new FakeDnsServer();
            try {
                return dns.start(address);
            } catch (IOException e) {
                dns.close();
                last = e;
            }
        }
        throw last;
    }

    /**
     * Writes a Postfix configuration file dated an hour ago. Postfix waits (300 ms at a time) until a
     * table or configuration file is over a second old, in case it is still being written: a fresh
     * main.cf costs every postmap run about two seconds.
     */
    static void writeConfig(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    }

    static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        InputStream in = RealPostfix.class.getResourceAsStream("/realpostfix/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource realpostfix/" + name);
        }
        return readAll(in);
    }
}
