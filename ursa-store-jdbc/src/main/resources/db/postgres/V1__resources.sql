-- Every resource of every type, one row each (PostgreSQL). Global types (Mesh) have the empty mesh. Times are
-- epoch milliseconds (UTC). spec is the JSON object that ResourceCodec.encodeSpec writes. Text is compared
-- bytewise (COLLATE "C") so listings come in the same (mesh, name) order as in the embedded store, whatever the
-- database's locale. Never edit this file once released: the migrator refuses a database whose applied
-- migrations no longer match; add V2__... instead.
CREATE TABLE resources (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type              TEXT   COLLATE "C" NOT NULL,
    mesh              TEXT   COLLATE "C" NOT NULL,
    name              TEXT   COLLATE "C" NOT NULL,
    version           BIGINT NOT NULL CHECK (version > 0),
    creation_time     BIGINT NOT NULL,
    modification_time BIGINT NOT NULL,
    spec              TEXT   NOT NULL
);

-- The key. It also serves listings in (mesh, name) order with LIMIT/OFFSET, the name filter and COUNT(*).
CREATE UNIQUE INDEX resources_by_key ON resources (type, mesh, name);

-- Deleting a mesh deletes every resource in it, whatever its type.
CREATE INDEX resources_by_mesh ON resources (mesh);
