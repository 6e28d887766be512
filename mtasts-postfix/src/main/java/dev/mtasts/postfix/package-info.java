/**
 * The Postfix socketmap daemon: {@link dev.mtasts.postfix.SocketmapServer} speaks the protocol,
 * a {@link dev.mtasts.postfix.SocketmapHandler} answers each request.
 */
@NullMarked
package dev.mtasts.postfix;

import org.jspecify.annotations.NullMarked;
