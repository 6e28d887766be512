package dev.mtasts.postfix;

import java.util.concurrent.CompletionStage;

/**
 * Answers one socketmap request (socketmap_table(5)): the map name and the key, as the client sent
 * them, to the reply payload ({@code OK <data>}, {@code NOTFOUND }, {@code TEMP <reason>}, ...).
 * The server frames the payload as a netstring; the handler never sees the wire.
 *
 * <p>Called on a network thread: must not block. The stage must always complete; a stage that
 * completes exceptionally is answered {@code TEMP internal error} by the server.
 */
@FunctionalInterface
public interface SocketmapHandler {

    /**
     * The reply payload for one request.
     *
     * @param name the map name (the last field of Postfix's table spec, e.g. {@code postfix})
     * @param key the lookup key, verbatim
     */
    CompletionStage<String> answer(String name, String key);
}
