/**
 * An MTA-STS world on loopback built from the servers in {@code dev.mtasts.testkit.server}: domains
 * with policies, records and MX hosts, a JUnit 5 extension and seeded generators.
 */
@NullMarked
package dev.mtasts.testkit;

import org.jspecify.annotations.NullMarked;
