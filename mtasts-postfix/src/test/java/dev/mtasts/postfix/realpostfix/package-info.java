/**
 * Tests against Debian's real Postfix: {@code postmap -q} queries and deliveries by a throw-away
 * Postfix instance through the daemon. They skip when Postfix is not installed (or, for deliveries,
 * when the JVM is not root).
 */
@NullMarked
package dev.mtasts.postfix.realpostfix;

import org.jspecify.annotations.NullMarked;
