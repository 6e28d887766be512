/** JMH benchmarks of the parsers and matchers; run from the shaded {@code benchmarks.jar}. */
open module dev.mtasts.bench {
    requires dev.mtasts.core;
    requires dev.mtasts.tlsrpt;
    requires jmh.core;
    requires static org.jspecify;
}
