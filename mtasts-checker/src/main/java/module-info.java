/**
 * The domain checker: whether a domain's MTA-STS and TLSRPT set-up works, and why not, exactly as a
 * compliant sender (this SDK's) sees it ({@link dev.mtasts.checker.DomainChecker}).
 */
module dev.mtasts.checker {
    requires transitive dev.mtasts.core;
    requires transitive dev.mtasts.tlsrpt;
    requires static transitive org.jspecify;
    requires static com.google.errorprone.annotations;
    requires org.dnsjava;
    requires java.net.http;
    requires org.slf4j;

    exports dev.mtasts.checker;
}
