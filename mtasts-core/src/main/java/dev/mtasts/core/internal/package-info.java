/**
 * Grammar helpers and the IDNA gateway shared by the MTA-STS and TLSRPT code, and the strict HTTP/1.1
 * response reader the policy fetch shares with the checker; not part of the API.
 */
@NullMarked
package dev.mtasts.core.internal;

import org.jspecify.annotations.NullMarked;
