package dev.mtasts.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import dev.mtasts.postfix.PostfixDaemon;
import dev.mtasts.postfix.config.ConfigException;
import dev.mtasts.postfix.config.DaemonConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mtasts serve -c FILE [-v LEVEL] [-l LOGFILE]}: the Postfix socketmap daemon, with the
 * options of postfix-mta-sts-resolver's {@code mta-sts-daemon}. Runs until SIGTERM or SIGINT, then
 * stops gracefully (in-flight requests are answered within {@code shutdown_timeout}).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Postfix smtp_tls_policy_maps socketmap daemon (postfix-mta-sts-resolver's YAML file).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped by a signal or at the end of a test run",
            "1:could not start (address in use, cache directory locked, ...)",
            "2:bad command line or configuration (the message names file, line and key)",
            "143:stopped by SIGTERM (the JVM's status; systemd: SuccessExitStatus=143)"
        })
final class ServeCommand implements Callable<Integer> {
    /** Exit status of a configuration error. */
    static final int CONFIG_ERROR = 2;
    /** Exit status when the daemon cannot start. */
    static final int START_FAILED = 1;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "configuration file (default: ${DEFAULT-VALUE})",
            defaultValue = "/etc/mta-sts-daemon.yml")
    Path config = DaemonConfig.DEFAULT_FILE;

    @Option(
            names = {"-v", "--verbosity"},
            paramLabel = "LEVEL",
            description = "log level: debug, info, warn, error, fatal, crit (default: ${DEFAULT-VALUE})",
            defaultValue = "info")
    String verbosity = "info";

    @Option(
            names = {"-l", "--logfile"},
            paramLabel = "LOGFILE",
            description = "log to this file instead of standard error")
    @Nullable
    Path logfile;

    // Accepted so that a unit file written for mta-sts-daemon keeps working; Netty needs no uvloop.
    @Option(names = "--disable-uvloop", hidden = true)
    boolean disableUvloop;

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = Main.err(spec);
        Level level = level(verbosity);
        if (level == null) {
            err.println("mtasts serve: unknown verbosity '" + verbosity + "' (debug, info, warn, error, fatal, crit)");
            return CONFIG_ERROR;
        }
        DaemonConfig cfg;
        try {
            cfg = DaemonConfig.read(config);
        } catch (ConfigException e) {
            err.println("mtasts serve: " + e.getMessage());
            return CONFIG_ERROR;
        } catch (IOException e) {
            err.println("mtasts serve: cannot read " + config + ": " + e);
            return CONFIG_ERROR;
        }
        try {
            configureLogging(level, logfile);
        } catch (RuntimeException e) {
            err.println("mtasts serve: cannot log to " + logfile + ": " + e.getMessage());
            return CONFIG_ERROR;
        }
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        PostfixDaemon daemon;
        try {
            daemon = PostfixDaemon.builder(cfg).build().start();
        } catch (IOException | RuntimeException e) {
            log.atError()
                    .setMessage("cannot start")
                    .addKeyValue("error", e.toString())
                    .log();
            err.println("mtasts serve: cannot start: " + e.getMessage());
            return START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run shutdown hooks: close gracefully there, in the order the daemon
        // defines; the JVM waits for the hook, so in-flight answers get their shutdown_timeout.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.atInfo().setMessage("signal received, stopping").log();
                            daemon.close();
                            stopped.countDown();
                        },
                        "mtasts-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.close();
        }
        return 0;
    }

    /** SNA's level names to Logback's; {@code null} for an unknown name. */
    static @Nullable Level level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error", "fatal", "crit", "critical" -> Level.ERROR;
            default -> null;
        };
    }

    private static void configureLogging(Level level, @Nullable Path file) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another binding: it has its own configuration
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        if (file == null) {
            return;
        }
        Appender<ILoggingEvent> console = root.getAppender("STDERR");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(
                context.getProperty("MTASTS_PATTERN") != null
                        ? context.getProperty("MTASTS_PATTERN")
                        : "%d level=%level logger=%logger{0} msg=\"%msg\" %kvp{DOUBLE}%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalStateException("the file cannot be opened");
        }
        root.addAppender(appender);
        if (console != null) {
            root.detachAppender(console);
            console.stop();
        }
    }
}
