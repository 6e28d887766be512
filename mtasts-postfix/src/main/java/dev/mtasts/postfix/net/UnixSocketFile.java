package dev.mtasts.postfix.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The file of a unix listening socket: cleared before bind, given its mode after, removed on stop. */
public final class UnixSocketFile {

    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketFile.class);
    /** S_IFMT and S_IFSOCK of stat(2). */
    private static final int TYPE_MASK = 0170000;

    private static final int SOCKET_TYPE = 0140000;

    private UnixSocketFile() {}

    /**
     * Removes a stale socket left at {@code path} by a daemon that died, so bind can succeed. Refuses
     * to remove anything else, or a socket someone still listens on.
     */
    public static void clearStale(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!isSocket(path, attributes)) {
            throw new IOException("not a unix socket, will not replace it: " + path);
        }
        if (listening(path)) {
            throw new IOException("a server is already listening on unix socket " + path);
        }
        LOG.info("removing stale unix socket {}", path);
        Files.delete(path);
    }

    private static boolean isSocket(Path path, BasicFileAttributes attributes) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & TYPE_MASK) == SOCKET_TYPE;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return attributes.isOther(); // no "unix" view: the best the portable view can say
        }
    }

    private static boolean listening(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return false;
        }
    }

    /** Gives the bound socket file its mode (bind uses the umask). */
    public static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        Files.setPosixFilePermissions(path, mode);
    }

    /** Removes the socket file after the listener closed; a failure is only logged. */
    public static void remove(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not remove unix socket {}: {}", path, e.toString());
        }
    }
}
