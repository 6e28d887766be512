/**
 * The MTA-STS model: {@link dev.mtasts.core.Policy}, {@link dev.mtasts.core.MxPattern} and
 * {@link dev.mtasts.core.StsRecord}, parsed strictly after RFC 8461 with no I/O.
 */
@NullMarked
package dev.mtasts.core;

import org.jspecify.annotations.NullMarked;
