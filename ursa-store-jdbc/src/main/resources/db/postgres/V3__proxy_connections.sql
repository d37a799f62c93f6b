-- Which control-plane instance each proxy (Dataplane or ZoneEgress) is connected to, since when, when it left, and
-- the creation time of its resource when one of its connections created it (NULL: created through the API, never
-- removed for its proxy's leaving). One row per proxy; the latest connection wins. Times are epoch milliseconds.
-- No foreign key to resources: a row may outlive its resource for a moment, and the leader's sweep removes it.
-- Never edit this file once released; add V4__... instead.
CREATE TABLE proxy_connections (
    type            TEXT   COLLATE "C" NOT NULL,
    mesh            TEXT   COLLATE "C" NOT NULL,
    name            TEXT   COLLATE "C" NOT NULL,
    instance_id     TEXT   COLLATE "C" NOT NULL,
    connect_time    BIGINT NOT NULL,
    disconnect_time BIGINT,
    registered      BIGINT,
    PRIMARY KEY (type, mesh, name)
);

-- The leader's sweep: closed rows by the time they closed.
CREATE INDEX proxy_connections_by_disconnect ON proxy_connections (disconnect_time)
    WHERE disconnect_time IS NOT NULL;
