package dev.mtasts.postfix.config;

/** The configuration cannot be used: the message names the file, line and key, and why. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A configuration error. */
    public ConfigException(String message) {
        super(message);
    }
}
