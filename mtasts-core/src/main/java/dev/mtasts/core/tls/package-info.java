/**
 * Enforcing a policy on the wire (RFC 8461 §4.2, RFC 6125 §6.4): a trust manager that checks the MX
 * name against the certificate's DNS names, socket factories bound to one MX, and the mapping of TLS
 * failures to TLSRPT result types.
 */
@NullMarked
package dev.mtasts.core.tls;

import org.jspecify.annotations.NullMarked;
