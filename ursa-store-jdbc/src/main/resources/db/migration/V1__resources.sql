-- Every resource of every type, one row each. Global types (Mesh) have the empty mesh. Times are epoch
-- milliseconds (UTC). spec is the JSON object that ResourceCodec.encodeSpec writes. Never edit this file once
-- released: the migrator refuses a database whose applied migrations no longer match; add V2__... instead.
CREATE TABLE resources (
    id                INTEGER PRIMARY KEY,
    type              TEXT    NOT NULL,
    mesh              TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    version           INTEGER NOT NULL CHECK (version > 0),
    creation_time     INTEGER NOT NULL,
    modification_time INTEGER NOT NULL,
    spec              TEXT    NOT NULL
) STRICT;

-- The key. It also serves listings in (mesh, name) order with LIMIT/OFFSET, the name filter and COUNT(*)
-- without reading the table: rows are looked up only for the page that is returned.
CREATE UNIQUE INDEX resources_by_key ON resources (type, mesh, name);

-- Deleting a mesh deletes every resource in it, whatever its type.
CREATE INDEX resources_by_mesh ON resources (mesh);
