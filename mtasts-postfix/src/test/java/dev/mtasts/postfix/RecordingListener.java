package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records a server's listener calls; tests wait on closes instead of sleeping. */
final class RecordingListener implements SocketmapServerListener {

    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger lastOpen = new AtomicInteger(-1);
    final List<String> protocolErrors = new CopyOnWriteArrayList<>();
    final List<String> replies = new CopyOnWriteArrayList<>();
    final List<Long> nanos = new CopyOnWriteArrayList<>();
    private final Semaphore closes = new Semaphore(0);
    private final Semaphore refusals = new Semaphore(0);

    @Override
    public void connectionOpened(int open) {
        opened.incrementAndGet();
        lastOpen.set(open);
    }

    @Override
    public void connectionClosed(int open) {
        lastOpen.set(open);
        closes.release();
    }

    @Override
    public void connectionRefused() {
        refused.incrementAndGet();
        refusals.release();
    }

    @Override
    public void protocolError(String why) {
        protocolErrors.add(why);
    }

    @Override
    public void answered(String reply, long n) {
        replies.add(reply);
        nanos.add(n);
    }

    /** Waits until {@code n} more connections have closed. */
    void awaitClosed(int n) throws InterruptedException {
        assertThat(closes.tryAcquire(n, 10, TimeUnit.SECONDS))
                .as("%d connections closed", n)
                .isTrue();
    }

    /** Waits until {@code n} more connections have been refused. */
    void awaitRefused(int n) throws InterruptedException {
        assertThat(refusals.tryAcquire(n, 10, TimeUnit.SECONDS))
                .as("%d connections refused", n)
                .isTrue();
    }
}
