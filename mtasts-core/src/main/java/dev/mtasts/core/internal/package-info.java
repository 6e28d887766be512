/** Grammar helpers shared by the MTA-STS and TLSRPT record parsers; not part of the API. */
@NullMarked
package dev.mtasts.core.internal;

import org.jspecify.annotations.NullMarked;
