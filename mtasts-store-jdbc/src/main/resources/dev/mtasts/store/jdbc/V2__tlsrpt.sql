-- Fleet schema version 2: TLSRPT counts of every node and the daily report claims
-- (FLEET-COUNT-1, FLEET-COUNT-2, FLEET-RPT-1, FLEET-RPT-2).

-- The fleet's session counts, summed over every node's flushes: one row per (UTC day, policy
-- domain, applied policy, failure detail). The policy and the detail are kept as the JSON the
-- recorder's keys serialise to (one fixed field order, so equal keys give equal text) and keyed by
-- the SHA-256 of that text, which keeps the primary key short however long a policy is. The row
-- with detail_key '' holds a policy's totals (successful, failed, overflow); every other row counts
-- one failure detail (detail_count). Nodes add to rows with INSERT ... ON CONFLICT DO UPDATE SET
-- x = x + EXCLUDED.x, so concurrent flushes never lose an increment.
CREATE TABLE mtasts_tlsrpt_count (
    day            date        NOT NULL,
    policy_domain  text        NOT NULL,
    policy_key     text        NOT NULL,
    detail_key     text        NOT NULL,
    policy_json    text        NOT NULL,
    detail_json    text        NOT NULL,
    successful     bigint      NOT NULL DEFAULT 0,
    failed         bigint      NOT NULL DEFAULT 0,
    overflow       bigint      NOT NULL DEFAULT 0,
    detail_count   bigint      NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (day, policy_domain, policy_key, detail_key)
);

-- One row per batch of counts a node has applied, written in the batch's own transaction: a batch
-- whose commit was acknowledged too late (or not at all) and is retried finds its row and is skipped,
-- so it is never counted twice. epoch is random per process start, so a restarted node's batch
-- numbers never meet its earlier ones. Rows older than a few days are purged by the report runner.
CREATE TABLE mtasts_tlsrpt_flush (
    node        text        NOT NULL,
    epoch       text        NOT NULL,
    batch       bigint      NOT NULL,
    row_count   integer     NOT NULL,
    sessions    bigint      NOT NULL,
    flushed_at  timestamptz NOT NULL,
    PRIMARY KEY (node, epoch, batch)
);
CREATE INDEX mtasts_tlsrpt_flush_flushed_at ON mtasts_tlsrpt_flush (flushed_at);

-- One row per (UTC day, policy domain): the claim of its one report. The first node to insert the
-- row holds it until lease_until and renews it while it works; once the lease has run out, another
-- node may take it over (claims counts the claims). rua is the _smtp._tls record text read once at
-- the first claim ('' when the domain has none); report_id and report_json are written once, when
-- the report is built, and reused by any takeover, so the fleet sends one report, byte for byte.
-- state: 'claimed' (rua read or being read), 'built' (report stored, being delivered), 'finished'
-- (outcome says how it ended: delivered, gave-up, no-endpoint, skipped).
CREATE TABLE mtasts_tlsrpt_report (
    day            date        NOT NULL,
    policy_domain  text        NOT NULL,
    state          text        NOT NULL CHECK (state IN ('claimed', 'built', 'finished')),
    holder         text        NOT NULL,
    lease_until    timestamptz NOT NULL,
    claims         integer     NOT NULL DEFAULT 1,
    rua            text,
    report_id      text,
    report_json    bytea,
    outcome        text,
    outcome_detail text,
    late_sessions  bigint      NOT NULL DEFAULT 0,
    claimed_at     timestamptz NOT NULL,
    built_at       timestamptz,
    finished_at    timestamptz,
    PRIMARY KEY (day, policy_domain)
);
