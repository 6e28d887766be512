/**
 * DANE for SMTP (RFC 7672) beside MTA-STS: TLSA discovery over DNSSEC-validated lookups ({@link
 * dev.mtasts.core.dane.DaneLookup}), the certificate check against a TLSA set ({@link
 * dev.mtasts.core.dane.DaneTrustManager}) and the sender's one decision over both ({@link
 * dev.mtasts.core.dane.TransportSecurity}): DANE first, MTA-STS only where DANE does not apply (RFC
 * 8461 §2).
 */
@NullMarked
package dev.mtasts.core.dane;

import org.jspecify.annotations.NullMarked;
