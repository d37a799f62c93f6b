-- The control-plane instances that share this database: each writes its row at start and refreshes last_seen at
-- every heartbeat (times are the database's clock, epoch milliseconds, so hosts' clocks never disagree). An
-- instance whose last_seen is older than the lease is gone. leader_since is set by the instance that holds the
-- leader's advisory lock, when it takes it; the lock, not this column, decides who leads. Never edit this file
-- once released; add V3__... instead.
CREATE TABLE control_plane_instances (
    id           TEXT   COLLATE "C" PRIMARY KEY,
    hostname     TEXT   NOT NULL,
    version      TEXT   NOT NULL,
    started_at   BIGINT NOT NULL,
    last_seen    BIGINT NOT NULL,
    leader_since BIGINT
);
