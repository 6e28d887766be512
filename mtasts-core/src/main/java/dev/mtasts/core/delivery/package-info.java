/**
 * Delivering to one recipient domain under its policy: one socket factory per delivery that checks
 * each connection against the right MX name, report-only TLS for mode {@code testing}, and how each
 * SMTP session's TLS ended, handed to an {@link dev.mtasts.core.delivery.MxSessionListener} (a TLSRPT
 * recorder, for example).
 */
@NullMarked
package dev.mtasts.core.delivery;

import org.jspecify.annotations.NullMarked;
