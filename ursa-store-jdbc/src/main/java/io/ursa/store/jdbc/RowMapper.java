package io.ursa.store.jdbc;

import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.Path;
import io.ursa.core.store.StoreUnavailableException;
import java.time.Instant;

/**
 * Turns resources into rows and back: the spec as the JSON text of {@link ResourceCodec#encodeSpec}, times as
 * epoch milliseconds (which is also where sub-millisecond precision is dropped). A row read again unchanged gives
 * the resource decoded from it before ({@link DecodedResources}). Thread-safe.
 */
final class RowMapper {
    private final ResourceCodec codec;
    private final String database;
    private final DecodedResources decoded = new DecodedResources();

    /** {@code database} names the database in messages: a file, or {@code PostgreSQL ursa at host:5432}. */
    RowMapper(ResourceCodec codec, String database) {
        this.codec = codec;
        this.database = database;
    }

    String encodeSpec(Spec spec) {
        return codec.writeJson(codec.encodeSpec(spec));
    }

    /** The row for a resource of {@code key} with the given version and times; {@code spec} is encoded already. */
    static ResourceTable.Row row(ResourceKey key, long version, Instant created, Instant modified, String spec) {
        return new ResourceTable.Row(key.mesh(), key.name(), version, created.toEpochMilli(), modified.toEpochMilli(),
                spec);
    }

    static ResourceMeta meta(ResourceTable.Row row) {
        return new ResourceMeta(row.mesh(), row.name(), row.version(), Instant.ofEpochMilli(row.creationTime()),
                Instant.ofEpochMilli(row.modificationTime()));
    }

    /** What this mapper decoded before; its store subscribes it to its changes, which drop deleted resources. */
    DecodedResources decoded() {
        return decoded;
    }

    /** The resource a row holds, or a failure naming it if its spec no longer decodes. */
    <S extends Spec> Resource<S> resource(ResourceType<S> type, ResourceTable.Row row) {
        return decoded.of(type.name(), row, () -> decode(type, row));
    }

    private <S extends Spec> Resource<S> decode(ResourceType<S> type, ResourceTable.Row row) {
        try {
            S spec = codec.decodeSpec(type, codec.parseJson(row.spec()), Path.root());
            return new Resource<>(type, meta(row), spec);
        } catch (DecodeException e) {
            throw new StoreUnavailableException("could not read " + new ResourceKey(type, row.mesh(), row.name())
                    + " from " + database + ": its stored spec does not decode (" + e.getMessage() + ")", e);
        }
    }
}
