/**
 * Implementation of {@code dev.mtasts.tlsrpt}: JSON and MIME codecs, aggregation internals. Not API:
 * may change without notice.
 */
@NullMarked
package dev.mtasts.tlsrpt.internal;

import org.jspecify.annotations.NullMarked;
