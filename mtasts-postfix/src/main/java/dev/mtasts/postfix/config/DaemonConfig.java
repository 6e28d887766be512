package dev.mtasts.postfix.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The daemon's configuration: postfix-mta-sts-resolver's YAML file, read with its keys and defaults.
 *
 * <p>STUB: the API the other parts compile against; the implementation replaces the bodies.
 */
public final class DaemonConfig {

    private DaemonConfig() {}

    /** Reads a YAML file; unknown or unsupported keys fail with the key and line. */
    public static DaemonConfig read(Path file) throws IOException, ConfigException {
        throw new UnsupportedOperationException("stub");
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static DaemonConfig parse(String yaml, String source) throws ConfigException {
        throw new UnsupportedOperationException("stub");
    }
}
