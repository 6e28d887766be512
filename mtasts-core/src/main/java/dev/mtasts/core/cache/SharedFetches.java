package dev.mtasts.core.cache;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * How processes sharing one {@link PolicyStore} (a fleet of MTAs on one database) share policy
 * fetches. Before it fetches the policy of a domain under a TXT id, the resolver asks for its turn:
 * at most one process fetches a (domain, id) at a time and the others take its result, and a failed
 * fetch holds every process back for the back-off (RFC 8461 §3.3), so a failing policy host costs
 * one fetch per window for the whole fleet (FLEET-FETCH-1, FLEET-FETCH-2).
 *
 * <p>Implementations must be thread-safe and must not block the caller: {@link #turn} returns at
 * once and completes later. When the shared state cannot be read (the database is down), the turn
 * is {@link FetchTurn.Fetch} with a claim that records nothing: fetching locally is always safe, it
 * only costs a fetch (FLEET-DOWN-1). The resolver does the same when {@code turn} throws or its stage
 * completes exceptionally, and when a {@link FetchTurn.Shared} policy breaks the contract below
 * (another domain or id, expired, not newer than {@code newerThan}); each is logged at WARN.
 *
 * <p>The store offering this is shared, so the resolver leaves expiry, disuse and size-bound
 * removals of its entries to the store (see {@link PolicyStore#sharedFetches()}, FLEET-FETCH-3).
 */
public interface SharedFetches {

    /**
     * Whose turn it is to fetch the policy of {@code domain} under TXT id {@code id}.
     *
     * @param domain the policy domain, normalised (lower-case A-labels, no trailing dot)
     * @param id the TXT record's {@code id}
     * @param newerThan the fetch time of the policy the caller already holds for this id, if any: a
     *     peer's policy answers the turn only when it was fetched later (a proactive refresh must
     *     not be answered by the policy it is refreshing). A forced lookup ({@code MtaSts.refresh})
     *     passes the time it started, so only a fetch made after it answers
     * @return a stage that completes with the turn, never exceptionally
     */
    CompletionStage<FetchTurn> turn(String domain, String id, Optional<Instant> newerThan);
}
