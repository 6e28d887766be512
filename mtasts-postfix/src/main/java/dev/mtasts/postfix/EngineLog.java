package dev.mtasts.postfix;

import dev.mtasts.core.Policy;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.MtaStsListener;
import dev.mtasts.core.resolve.PolicyProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what an administrator must know about the engine (a possible downgrade, failed fetches and
 * refreshes) as key=value events, and passes every event on to {@code next} (the metrics).
 */
final class EngineLog implements MtaStsListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mtasts.postfix.engine");

    private final MtaStsListener next;

    EngineLog(MtaStsListener next) {
        this.next = next;
    }

    @Override
    public void cacheHit(String domain) {
        next.cacheHit(domain);
    }

    @Override
    public void cacheMiss(String domain) {
        next.cacheMiss(domain);
    }

    @Override
    public void fetchStarted(String domain, String id) {
        next.fetchStarted(domain, id);
        LOG.atDebug()
                .setMessage("fetch started")
                .addKeyValue("domain", domain)
                .addKeyValue("id", id)
                .log();
    }

    @Override
    public void fetchSucceeded(String domain, String id, Policy policy) {
        next.fetchSucceeded(domain, id, policy);
        LOG.atInfo()
                .setMessage("policy fetched")
                .addKeyValue("domain", domain)
                .addKeyValue("id", id)
                .addKeyValue("mode", policy.mode())
                .log();
    }

    @Override
    public void fetchFailed(String domain, String id, FetchProblem failure) {
        next.fetchFailed(domain, id, failure);
        LOG.atInfo()
                .setMessage("policy fetch failed")
                .addKeyValue("domain", domain)
                .addKeyValue("id", id)
                .addKeyValue("reason", failure.reason())
                .addKeyValue("detail", failure.detail())
                .log();
    }

    @Override
    public void staleFallback(String domain, PolicyProblem cause) {
        next.staleFallback(domain, cause);
        // STS-OUT-1: the cached policy still applies, but this may be an attacker blocking DNS or HTTPS.
        LOG.atWarn()
                .setMessage("cached policy applied although the check failed")
                .addKeyValue("domain", domain)
                .addKeyValue("cause", cause)
                .log();
    }

    @Override
    public void refreshFailed(String domain, PolicyProblem cause) {
        next.refreshFailed(domain, cause);
        LOG.atWarn()
                .setMessage("proactive refresh failed")
                .addKeyValue("domain", domain)
                .addKeyValue("cause", cause)
                .log();
    }

    @Override
    public void evicted(String domain, String why) {
        next.evicted(domain, why);
        LOG.atDebug()
                .setMessage("policy dropped")
                .addKeyValue("domain", domain)
                .addKeyValue("why", why)
                .log();
    }
}
