-- Fleet schema version 1: the shared MTA-STS policy cache (FLEET-FETCH-1, FLEET-FETCH-2).

-- One row per policy domain: the last policy fetched by any node, as fetched (text), with the
-- TXT id it was fetched under and its fetch and expiry times (RFC 8461 §3.3, STS-CACHE-1).
CREATE TABLE mtasts_policy (
    domain       text PRIMARY KEY,
    txt_id       text NOT NULL,
    policy_text  text NOT NULL,
    fetched_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    written_by   text NOT NULL,
    written_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mtasts_policy_expires_at ON mtasts_policy (expires_at);

-- A failed fetch of (domain, TXT id) holds every node back until "until" (RFC 8461 §3.3). "until"
-- is the failing node's wall clock (the resolver's back-off end), compared with each reader's clock.
-- reason is a FetchProblem.Reason name, detail its text.
CREATE TABLE mtasts_fetch_backoff (
    domain   text NOT NULL,
    txt_id   text NOT NULL,
    until    timestamptz NOT NULL,
    reason   text NOT NULL,
    detail   text NOT NULL,
    PRIMARY KEY (domain, txt_id)
);

-- The node fetching a domain's policy now, until its lease runs out (one fetch across the fleet).
-- "until" is on the database's clock (now() + lease): node clocks may differ, the database's is one.
-- claim_id tells this claim from a later one of the same node after the lease expired.
CREATE TABLE mtasts_fetch_lease (
    domain   text PRIMARY KEY,
    txt_id   text NOT NULL,
    holder   text NOT NULL,
    claim_id text NOT NULL,
    until    timestamptz NOT NULL
);
CREATE INDEX mtasts_fetch_backoff_until ON mtasts_fetch_backoff (until);
