package dev.mtasts.postfix.realpostfix;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mtasts.core.time.Ticker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throw-away Postfix instance of Debian's package: its own directory (config, queue, data, log),
 * run by {@code postfix start-fg} in private mount and PID namespaces, where the directory is bound
 * over {@code /etc/postfix} and a resolv.conf naming the test's DNS over {@code /etc/resolv.conf}.
 * Its log ({@code maillog_file}, Postfix 3.4+) is the evidence. {@link #close()} stops it and every
 * process it started, and deletes the directory.
 */
final class PostfixInstance implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern STATUS = Pattern.compile("status=(\\w+)");

    private final Path dir;
    private final Path maillog;
    private final Process process;
    private final OutputStream stdin;
    private static final Ticker TICKER = Ticker.systemTicker();

    /**
     * What the instance is wired to.
     *
     * @param policyMaps the {@code smtp_tls_policy_maps} value
     * @param smtpPort the port smtp(8) dials at every MX ({@code smtp_tcp_port})
     * @param caPem the trust anchors of smtp(8) ({@code smtp_tls_CAfile})
     * @param nameserver the DNS server, on port 53, that answers MX and A queries
     */
    record Settings(String policyMaps, int smtpPort, String caPem, InetAddress nameserver) {}

    private PostfixInstance(Path dir, Process process) {
        this.dir = dir;
        this.maillog = dir.resolve("maillog");
        this.process = process;
        this.stdin = process.getOutputStream();
    }

    /** Writes the instance directory, starts Postfix and waits until master(8) runs. */
    static PostfixInstance start(Settings settings) throws IOException {
        Path dir = Files.createTempDirectory("mtasts-postfix-");
        try {
            writeDirectory(dir, settings);
            Process process = new ProcessBuilder(
                            "unshare",
                            "--mount",
                            "--propagation",
                            "private",
                            "--pid",
                            "--fork",
                            "--kill-child",
                            "sh",
                            dir.resolve("run-instance.sh").toString(),
                            dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("instance.out").toFile())
                    .start();
            PostfixInstance instance = new PostfixInstance(dir, process);
            try {
                instance.awaitLog(Pattern.compile("postfix/master\\[\\d+]: daemon started"), START_TIMEOUT);
            } catch (RuntimeException | Error e) {
                String diagnosis = instance.diagnosis();
                instance.close();
                throw new IllegalStateException("Postfix did not start:\n" + diagnosis, e);
            }
            return instance;
        } catch (IOException | RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    private static void writeDirectory(Path dir, Settings settings) throws IOException {
        // postfix(1) drops privileges; the user postfix must reach the queue, the CA file and the log
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectory(dir.resolve("etc"));
        // Debian's meta files (postfix-files, dynamicmaps.cf) live in /etc/postfix, hidden by the bind mount
        try (Stream<Path> meta = Files.list(Path.of("/etc/postfix"))) {
            for (Path file : meta.toList()) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && !name.equals("main.cf")
                        && !name.equals("master.cf")) {
                    Files.copy(file, etc.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && name.endsWith(".d")) {
                    Files.createDirectory(etc.resolve(name));
                }
            }
        }
        String ownAddress = RealPostfix.ownAddress().orElseThrow();
        RealPostfix.writeConfig(
                etc.resolve("main.cf"),
                RealPostfix.resource("main.cf.template")
                        .replace("@DIR@", dir.toString())
                        .replace("@OWN_ADDRESS@", ownAddress)
                        .replace("@SMTP_PORT@", Integer.toString(settings.smtpPort()))
                        .replace("@POLICY_MAPS@", settings.policyMaps()));
        RealPostfix.writeConfig(etc.resolve("master.cf"), RealPostfix.resource("master.cf"));
        Files.writeString(dir.resolve("run-instance.sh"), RealPostfix.resource("run-instance.sh"));
        Files.writeString(
                dir.resolve("resolv.conf"),
                "nameserver " + settings.nameserver().getHostAddress() + "\noptions timeout:2 attempts:2\n");
        Files.writeString(dir.resolve("ca.pem"), settings.caPem());
        Files.createDirectory(dir.resolve("spool"));
        Path data = Files.createDirectory(dir.resolve("data"));
        UserPrincipal postfix =
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
        Files.setOwner(data, postfix);
        Files.createFile(dir.resolve("maillog"));
    }

    /**
     * Submits a message with sendmail(1) inside the instance's namespace (it reaches the queue
     * through postdrop(1) and pickup(8), as local mail does).
     */
    void send(String from, String to, String subject) throws IOException {
        long nsInit = process.toHandle()
                .children()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the instance is not running:\n" + diagnosis()))
                .pid();
        Process sendmail = new ProcessBuilder(
                        "nsenter", "--target", Long.toString(nsInit), "--mount", "--", "sendmail", "-f", from, "--", to)
                .redirectErrorStream(true)
                .start();
        try (OutputStream message = sendmail.getOutputStream()) {
            message.write(("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject
                            + "\r\n\r\nSent by mtasts-java's real-Postfix tests.\r\n")
                    .getBytes(UTF_8));
        }
        String output = RealPostfix.readAll(sendmail.getInputStream());
        try {
            if (!sendmail.waitFor(20, TimeUnit.SECONDS)) {
                sendmail.destroyForcibly();
                throw new IllegalStateException("sendmail did not finish: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (sendmail.exitValue() != 0) {
            throw new IllegalStateException("sendmail failed (" + sendmail.exitValue() + "): " + output);
        }
    }

    /** The outcome smtp(8) logged for a recipient: {@code sent}, {@code deferred} or {@code bounced}. */
    record Outcome(String status, String line) {}

    /** Waits for the first delivery attempt to {@code recipient} to be logged. */
    Outcome awaitOutcome(String recipient, Duration timeout) {
        String line = awaitLog(Pattern.compile("to=<" + Pattern.quote(recipient) + ">,.* status=\\w+"), timeout);
        Matcher status = STATUS.matcher(line);
        if (!status.find()) {
            throw new IllegalStateException(line);
        }
        return new Outcome(status.group(1), line);
    }

    /**
     * Waits until a log line matches and returns the first such line; inotify wakes the wait when
     * postlogd(8) writes, a slow poll covers missed events.
     */
    String awaitLog(Pattern pattern, Duration timeout) {
        long deadline = TICKER.read() + timeout.toNanos();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            while (true) {
                Optional<String> line =
                        log().lines().filter(l -> pattern.matcher(l).find()).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
                long left = deadline - TICKER.read();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError("no log line matching /" + pattern + "/ within " + timeout
                            + (process.isAlive() ? "" : " (the instance has stopped)") + "; "
                            + diagnosis());
                }
                var key = watcher.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The whole log so far. */
    String log() {
        try {
            return Files.readString(maillog, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log lines of one process name, e.g. {@code postfix/smtp}. */
    List<String> logOf(String program) {
        return log().lines().filter(l -> l.contains(" " + program + "[")).toList();
    }

    /** The log and the namespace's own output, for failure messages. */
    String diagnosis() {
        String out;
        try {
            out = Files.readString(dir.resolve("instance.out"), UTF_8);
        } catch (IOException e) {
            out = e.toString();
        }
        return "maillog:\n" + log() + "\ninstance output:\n" + out;
    }

    /**
     * Stops Postfix ({@code postfix stop} once stdin closes), then kills what is left: the end of
     * the namespace's PID 1 kills every process in it. Deletes the directory.
     */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone: the kill below still applies
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
