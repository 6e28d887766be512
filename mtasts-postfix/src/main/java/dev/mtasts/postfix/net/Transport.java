package dev.mtasts.postfix.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** The Netty transport a server runs on: native epoll on Linux when its library loads, else NIO. */
public enum Transport {
    /** Linux epoll: SO_REUSEPORT and unix sockets natively. */
    EPOLL {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> tcpChannel() {
            return EpollServerSocketChannel.class;
        }

        @Override
        public Class<? extends ServerChannel> unixChannel() {
            return EpollServerDomainSocketChannel.class;
        }

        @Override
        public SocketAddress unixAddress(Path path) {
            return new DomainSocketAddress(path.toFile());
        }
    },
    /** The JDK's selector; unix sockets through the JDK 16+ channels, no SO_REUSEPORT. */
    NIO {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> tcpChannel() {
            return NioServerSocketChannel.class;
        }

        @Override
        public Class<? extends ServerChannel> unixChannel() {
            return NioServerDomainSocketChannel.class;
        }

        @Override
        public SocketAddress unixAddress(Path path) {
            return UnixDomainSocketAddress.of(path);
        }
    };

    /** Epoll when available, else NIO. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Makes the event loops' I/O handlers. */
    public abstract IoHandlerFactory ioHandlerFactory();

    /** The TCP listening channel. */
    public abstract Class<? extends ServerChannel> tcpChannel();

    /** The unix-socket listening channel. */
    public abstract Class<? extends ServerChannel> unixChannel();

    /** The address this transport binds a unix socket at {@code path} with. */
    public abstract SocketAddress unixAddress(Path path);
}
