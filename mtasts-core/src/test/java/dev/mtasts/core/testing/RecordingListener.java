package dev.mtasts.core.testing;

import dev.mtasts.core.Policy;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.MtaStsListener;
import dev.mtasts.core.resolve.PolicyProblem;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records listener events as short strings, e.g. {@code "fetchFailed example.com 1"}. */
public final class RecordingListener implements MtaStsListener {
    private final List<String> events = new CopyOnWriteArrayList<>();

    public List<String> events() {
        return events;
    }

    public long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }

    @Override
    public void cacheHit(String domain) {
        events.add("cacheHit " + domain);
    }

    @Override
    public void cacheMiss(String domain) {
        events.add("cacheMiss " + domain);
    }

    @Override
    public void fetchStarted(String domain, String id) {
        events.add("fetchStarted " + domain + " " + id);
    }

    @Override
    public void fetchSucceeded(String domain, String id, Policy policy) {
        events.add("fetchSucceeded " + domain + " " + id);
    }

    @Override
    public void fetchFailed(String domain, String id, FetchProblem failure) {
        events.add("fetchFailed " + domain + " " + id);
    }

    @Override
    public void fetchShared(String domain, String id) {
        events.add("fetchShared " + domain + " " + id);
    }

    @Override
    public void fetchHeldBack(String domain, String id) {
        events.add("fetchHeldBack " + domain + " " + id);
    }

    @Override
    public void staleFallback(String domain, PolicyProblem cause) {
        events.add("staleFallback " + domain + " " + cause.getClass().getSimpleName());
    }

    @Override
    public void refreshFailed(String domain, PolicyProblem cause) {
        events.add("refreshFailed " + domain);
    }

    @Override
    public void evicted(String domain, String why) {
        events.add("evicted " + domain + " " + why);
    }
}
