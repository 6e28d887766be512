package dev.mtasts.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps the demo's output readable: every logger at ERROR while the demo runs (the servers and the
 * SDK log each refused certificate, which the demo shows anyway), the previous levels restored after.
 */
final class DemoLogging implements AutoCloseable {
    private final Map<Logger, @Nullable Level> saved;

    private DemoLogging(Map<Logger, @Nullable Level> saved) {
        this.saved = saved;
    }

    /** Lowers every Logback logger to ERROR unless {@code verbose}; a no-op under another binding. */
    static DemoLogging quiet(boolean verbose) {
        Map<Logger, @Nullable Level> saved = new LinkedHashMap<>();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (verbose || !(factory instanceof LoggerContext context)) {
            return new DemoLogging(saved);
        }
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                saved.put(logger, logger.getLevel());
                logger.setLevel(Level.ERROR);
            }
        }
        return new DemoLogging(saved);
    }

    @Override
    public void close() {
        saved.forEach(Logger::setLevel);
    }
}
