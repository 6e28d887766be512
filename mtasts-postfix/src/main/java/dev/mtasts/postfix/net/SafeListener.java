package dev.mtasts.postfix.net;

import dev.mtasts.postfix.SocketmapServerListener;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SocketmapServerListener} that never throws into the network code: the delegate's first
 * failure is logged at WARN with its stack trace, later ones at DEBUG, so a broken metrics hook
 * cannot flood the log or break a connection.
 */
public final class SafeListener implements SocketmapServerListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final SocketmapServerListener delegate;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** Wraps {@code delegate}. */
    public SafeListener(SocketmapServerListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void connectionOpened(int open) {
        try {
            delegate.connectionOpened(open);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void connectionClosed(int open) {
        try {
            delegate.connectionClosed(open);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void connectionRefused() {
        try {
            delegate.connectionRefused();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void protocolError(String why) {
        try {
            delegate.protocolError(why);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void answered(String reply, long nanos) {
        try {
            delegate.answered(reply, nanos);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("socketmap server listener {} threw; its failures are ignored from now on", delegate, e);
        } else {
            LOG.debug("socketmap server listener {} threw again", delegate, e);
        }
    }
}
