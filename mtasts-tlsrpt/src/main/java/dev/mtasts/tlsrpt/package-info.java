/** SMTP TLS Reporting (RFC 8460): {@link dev.mtasts.tlsrpt.TlsRptRecord}, parsed strictly with no I/O. */
@NullMarked
package dev.mtasts.tlsrpt;

import org.jspecify.annotations.NullMarked;
