package dev.mtasts.testkit;

import dev.mtasts.core.Mode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test with a fresh, started {@link MtaStsWorld} of one domain, injected as a parameter of
 * test, {@code @BeforeEach} and {@code @AfterEach} methods and closed after the test. On a method
 * it overrides one on the class.
 *
 * <pre>{@code
 * @MtaStsTest(domain = "example.com", mx = {"mx1.example.com", "mx2.example.com"})
 * class FetchTest {
 *     @Test
 *     void fetches(MtaStsWorld world) { ... }
 * }
 * }</pre>
 *
 * <p>For several domains or finer control, register {@link MtaStsWorldExtension#newInstance()}
 * programmatically instead (not both on one class: they would compete for the parameter).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MtaStsWorldExtension.class)
public @interface MtaStsTest {
    /** The policy domain; empty for a world with no domain (add them with {@link MtaStsWorld#addDomain}). */
    String domain() default "example.com";

    /** The MX hosts, preferences 10, 20, 30, ... in this order. */
    String[] mx() default {"mx1.example.com", "mx2.example.com"};

    /** The policy mode. */
    Mode mode() default Mode.ENFORCE;

    /** The policy's {@code mx} patterns; empty means the MX host names. */
    String[] policyMx() default {};

    /** The policy's {@code max_age} in seconds. */
    long maxAgeSeconds() default 86_400;

    /** The id in the {@code _mta-sts} TXT record. */
    String stsId() default "20240101000000";

    /** TLSRPT {@code rua} URIs; empty publishes no {@code _smtp._tls} record. */
    String[] tlsRpt() default {};

    /** Whether to publish a policy (and its TXT record) at all. */
    boolean policy() default true;
}
