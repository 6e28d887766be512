/**
 * Loopback DNS, HTTPS policy host and SMTP STARTTLS servers and a test CA, for testing MTA-STS and
 * TLSRPT end to end with no network. Policies are served as text, so this package does not need the
 * library it tests.
 */
@NullMarked
package dev.mtasts.testkit.server;

import org.jspecify.annotations.NullMarked;
