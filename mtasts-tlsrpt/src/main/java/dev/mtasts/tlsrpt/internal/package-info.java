/**
 * Implementation of {@code dev.mtasts.tlsrpt}: JSON and gzip codecs, aggregation internals, shared
 * with {@code dev.mtasts.tlsrpt.mail} by a qualified export. Not API:
 * may change without notice.
 */
@NullMarked
package dev.mtasts.tlsrpt.internal;

import org.jspecify.annotations.NullMarked;
