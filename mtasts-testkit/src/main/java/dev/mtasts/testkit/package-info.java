/** Loopback servers and a test CA for testing MTA-STS and TLSRPT end to end with no network. */
@NullMarked
package dev.mtasts.testkit;

import org.jspecify.annotations.NullMarked;
