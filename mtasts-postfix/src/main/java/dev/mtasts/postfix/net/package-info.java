/**
 * The socketmap wire (socketmap_table(5)) on Netty, behind {@link dev.mtasts.postfix.SocketmapServer}:
 * netstring framing, the per-connection in-order reply queue, connection limits and transports. Not
 * exported: nothing here is API.
 */
@NullMarked
package dev.mtasts.postfix.net;

import org.jspecify.annotations.NullMarked;
