/**
 * Fetching the policy file from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461
 * §3.3) behind a small SPI, {@link dev.mtasts.core.fetch.PolicyFetcher}. The default is a small
 * HTTPS/1.1 client of our own (see {@code docs/policy-fetching.md} for why not the JDK {@code
 * HttpClient}).
 */
@NullMarked
package dev.mtasts.core.fetch;

import org.jspecify.annotations.NullMarked;
