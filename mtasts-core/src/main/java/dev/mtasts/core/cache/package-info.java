/**
 * Where fetched policies are kept between lookups and across restarts (RFC 8461 §3.3, §10.2):
 * the {@link dev.mtasts.core.cache.PolicyStore} SPI with an in-memory default on Caffeine and a
 * file-backed store with atomic writes.
 */
@NullMarked
package dev.mtasts.core.cache;

import org.jspecify.annotations.NullMarked;
