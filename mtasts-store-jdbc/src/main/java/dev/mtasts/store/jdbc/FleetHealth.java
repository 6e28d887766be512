package dev.mtasts.store.jdbc;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of the fleet store's state on this node, for health checks and metrics.
 *
 * @param up whether the last database operation succeeded
 * @param downSince when the database stopped answering, while it is down
 * @param bufferedRows count rows waiting to be flushed
 * @param droppedSessions sessions dropped since start because the buffer was full (FLEET-DOWN-2)
 * @param pendingPolicyWrites policy writes waiting for the database
 */
public record FleetHealth(
        boolean up, Optional<Instant> downSince, long bufferedRows, long droppedSessions, long pendingPolicyWrites) {}
