package dev.mtasts.postfix.net;

import dev.mtasts.core.time.Ticker;
import dev.mtasts.postfix.SocketmapHandler;
import dev.mtasts.postfix.SocketmapServerListener;

/**
 * What every connection of one server shares.
 *
 * @param handler answers requests
 * @param listener told about requests and protocol errors; must not throw (see {@link SafeListener})
 * @param maxRequestBytes largest request payload (PF-NET-7)
 * @param maxPipelined unanswered requests per connection before reading stops (PF-NET-7)
 * @param ticker measures the time from a request's last byte to its reply
 */
public record ConnectionSettings(
        SocketmapHandler handler,
        SocketmapServerListener listener,
        int maxRequestBytes,
        int maxPipelined,
        Ticker ticker) {}
