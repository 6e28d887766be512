/** Grammar helpers and the IDNA gateway shared by the MTA-STS and TLSRPT code; not part of the API. */
@NullMarked
package dev.mtasts.core.internal;

import org.jspecify.annotations.NullMarked;
