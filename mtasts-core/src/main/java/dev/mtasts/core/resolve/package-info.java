/**
 * The sender's side of MTA-STS (RFC 8461 §3.3, §5): {@link dev.mtasts.core.resolve.MtaSts} finds,
 * caches and refreshes the policy of a next-hop domain and says, per MX host, whether it may be used
 * and whether it needs validated TLS.
 */
@NullMarked
package dev.mtasts.core.resolve;

import org.jspecify.annotations.NullMarked;
