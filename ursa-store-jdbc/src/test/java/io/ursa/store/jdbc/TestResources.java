package io.ursa.store.jdbc;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.Path;
import java.time.Instant;

/** Resources with empty specs, built through the codec so they keep compiling as the spec records grow. */
final class TestResources {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());
    static final Instant TIME = Instant.parse("2024-06-01T12:00:00.250Z");

    private TestResources() {
    }

    static <S extends Spec> Resource<S> resource(ResourceType<S> type, String mesh, String name) {
        S spec = CODEC.decodeSpec(type, CODEC.parseJson("{}"), Path.root());
        return new Resource<>(type, new ResourceMeta(mesh, name, 0, TIME, TIME), spec);
    }
}
