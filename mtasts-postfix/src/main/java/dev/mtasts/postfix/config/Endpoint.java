package dev.mtasts.postfix.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/** Where the socketmap server listens: the {@code host}/{@code port} or {@code path}/{@code mode} keys. */
public sealed interface Endpoint {

    /**
     * TCP on {@code host:port} (keys {@code host}, {@code port}; defaults 127.0.0.1 and 8461).
     *
     * @param host the address or name to bind
     * @param port the port, 0 for any free one
     */
    record Inet(String host, int port) implements Endpoint {
        /** Checks the values. */
        public Inet {
            requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /**
     * A unix socket (key {@code path}, which wins over {@code host}/{@code port}). Postfix's chrooted
     * smtp(8) resolves the path inside its chroot (PF-NET-8), so TCP stays the default.
     *
     * @param path the socket file
     * @param mode the file mode to set (key {@code mode}); empty keeps the process's default
     */
    record Unix(Path path, Optional<Set<PosixFilePermission>> mode) implements Endpoint {
        /** Checks and copies the values. */
        public Unix {
            requireNonNull(path, "path");
            mode = requireNonNull(mode, "mode").map(Set::copyOf);
        }
    }
}
