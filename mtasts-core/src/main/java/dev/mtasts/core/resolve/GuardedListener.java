package dev.mtasts.core.resolve;

import dev.mtasts.core.Policy;
import dev.mtasts.core.fetch.FetchProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's listener behind a guard: a listener that throws must not break a lookup or leave it
 * hanging (STS-CACHE-10, STS-OUT-3). No allocation unless the listener throws.
 */
final class GuardedListener implements MtaStsListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final MtaStsListener delegate;

    GuardedListener(MtaStsListener delegate) {
        this.delegate = delegate;
    }

    private static void failed(String event, String domain, RuntimeException e) {
        LOG.warn("MTA-STS listener failed in {} for {}", event, domain, e);
    }

    @Override
    public void cacheHit(String domain) {
        try {
            delegate.cacheHit(domain);
        } catch (RuntimeException e) {
            failed("cacheHit", domain, e);
        }
    }

    @Override
    public void cacheMiss(String domain) {
        try {
            delegate.cacheMiss(domain);
        } catch (RuntimeException e) {
            failed("cacheMiss", domain, e);
        }
    }

    @Override
    public void fetchStarted(String domain, String id) {
        try {
            delegate.fetchStarted(domain, id);
        } catch (RuntimeException e) {
            failed("fetchStarted", domain, e);
        }
    }

    @Override
    public void fetchSucceeded(String domain, String id, Policy policy) {
        try {
            delegate.fetchSucceeded(domain, id, policy);
        } catch (RuntimeException e) {
            failed("fetchSucceeded", domain, e);
        }
    }

    @Override
    public void fetchFailed(String domain, String id, FetchProblem failure) {
        try {
            delegate.fetchFailed(domain, id, failure);
        } catch (RuntimeException e) {
            failed("fetchFailed", domain, e);
        }
    }

    @Override
    public void fetchShared(String domain, String id) {
        try {
            delegate.fetchShared(domain, id);
        } catch (RuntimeException e) {
            failed("fetchShared", domain, e);
        }
    }

    @Override
    public void fetchHeldBack(String domain, String id) {
        try {
            delegate.fetchHeldBack(domain, id);
        } catch (RuntimeException e) {
            failed("fetchHeldBack", domain, e);
        }
    }

    @Override
    public void staleFallback(String domain, PolicyProblem cause) {
        try {
            delegate.staleFallback(domain, cause);
        } catch (RuntimeException e) {
            failed("staleFallback", domain, e);
        }
    }

    @Override
    public void refreshFailed(String domain, PolicyProblem cause) {
        try {
            delegate.refreshFailed(domain, cause);
        } catch (RuntimeException e) {
            failed("refreshFailed", domain, e);
        }
    }

    @Override
    public void evicted(String domain, String why) {
        try {
            delegate.evicted(domain, why);
        } catch (RuntimeException e) {
            failed("evicted", domain, e);
        }
    }
}
