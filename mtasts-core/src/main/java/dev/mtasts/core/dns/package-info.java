/**
 * The DNS lookups MTA-STS needs (TXT, MX, A/AAAA) behind a small SPI, {@link
 * dev.mtasts.core.dns.DnsResolver}, whose outcomes keep "no such record" and "the server failed"
 * apart all the way to the sender (RFC 8461 §3.1, §10.2). The default runs on dnsjava.
 */
@NullMarked
package dev.mtasts.core.dns;

import org.jspecify.annotations.NullMarked;
