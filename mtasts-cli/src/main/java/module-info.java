/** The {@code mtasts} command line. */
module dev.mtasts.cli {
    requires dev.mtasts.core;
    requires dev.mtasts.tlsrpt;
    requires dev.mtasts.tlsrpt.mail;
    requires info.picocli;
    requires static org.jspecify;

    opens dev.mtasts.cli to
            info.picocli;
}
