package dev.mtasts.postfix.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.postfix.SocketmapServerListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class SafeListenerTest {

    @Test
    void throwingListener_isCalledEveryTime_butNeverThrows() {
        AtomicInteger calls = new AtomicInteger();
        SafeListener safe = new SafeListener(new SocketmapServerListener() {
            @Override
            public void connectionOpened(int open) {
                fail();
            }

            @Override
            public void connectionClosed(int open) {
                fail();
            }

            @Override
            public void connectionRefused() {
                fail();
            }

            @Override
            public void protocolError(String why) {
                fail();
            }

            @Override
            public void answered(String reply, long nanos) {
                fail();
            }

            private void fail() {
                calls.incrementAndGet();
                throw new IllegalStateException("metrics broke");
            }
        });
        safe.connectionOpened(1);
        safe.connectionClosed(0);
        safe.connectionRefused();
        safe.protocolError("PF-NET-2");
        safe.answered("OK", 1);
        assertThat(calls).hasValue(5);
    }
}
