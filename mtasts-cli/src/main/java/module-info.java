/** The {@code mtasts} command line. */
module dev.mtasts.cli {
    requires dev.mtasts.core;
    requires dev.mtasts.tlsrpt;
    requires dev.mtasts.tlsrpt.mail;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires dev.mtasts.postfix;
    requires dev.mtasts.checker;
    requires dev.mtasts.testkit;
    requires jakarta.mail;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires static org.jspecify;

    opens dev.mtasts.cli to
            info.picocli;
}
