/**
 * A whole MTA-STS world on loopback for tests: the loopback servers of {@code
 * dev.mtasts.testkit.server} wired together from MTA-STS policies, a JUnit 5 extension and seeded
 * generators.
 */
module dev.mtasts.testkit {
    requires transitive dev.mtasts.core;
    requires transitive dev.mtasts.testkit.server;
    requires transitive org.junit.jupiter.api;
    requires static transitive org.jspecify;

    exports dev.mtasts.testkit;
}
