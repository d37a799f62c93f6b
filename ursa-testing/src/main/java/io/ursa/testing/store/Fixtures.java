package io.ursa.testing.store;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.Path;
import java.time.Instant;
import java.util.List;

/**
 * Resources for the contract tests. Specs of the real types are built from JSON through the codec, so the suite
 * keeps compiling while the spec records gain fields.
 */
final class Fixtures {
    static final ResourceTypes TYPES = ResourceTypes.standard();
    static final ResourceCodec CODEC = new ResourceCodec(TYPES);

    /** A mesh-scoped type known only to the suite; see {@link NoteSpec}. */
    static final ResourceType<NoteSpec> NOTE = ResourceType.builder("UrsaContractNote", NoteSpec.class)
            .wsPath("ursa-contract-notes").cli("ursa-contract-note", "ursa-contract-notes")
            .displayNames("Contract Note", "Contract Notes").build();

    /** Mesh-scoped types the cascade tests spread resources over. */
    static final List<ResourceType<?>> CASCADE_TYPES = List.of(ResourceTypes.DATAPLANE, ResourceTypes.SECRET,
            ResourceTypes.TRAFFIC_PERMISSION, ResourceTypes.TRAFFIC_ROUTE, ResourceTypes.TIMEOUT);

    static final Instant CREATED = Instant.parse("2024-03-01T10:00:00.123Z");
    static final Instant MODIFIED = Instant.parse("2024-03-02T11:30:00.456Z");

    private Fixtures() {
    }

    static <S extends Spec> S spec(ResourceType<S> type, String json) {
        return CODEC.decodeSpec(type, CODEC.parseJson(json), Path.root());
    }

    /** A resource of {@code type} with an empty spec, created at {@link #CREATED}. */
    static <S extends Spec> Resource<S> resource(ResourceType<S> type, String mesh, String name) {
        return new Resource<>(type, new ResourceMeta(mesh, name, 0, CREATED, CREATED), spec(type, "{}"));
    }

    static Resource<MeshSpec> mesh(String name) {
        return resource(ResourceTypes.MESH, "", name);
    }

    static Resource<NoteSpec> note(String mesh, String name, String text, String... tags) {
        return new Resource<>(NOTE, new ResourceMeta(mesh, name, 0, CREATED, CREATED),
                new NoteSpec(text, List.of(tags)));
    }

    static ResourceKey key(ResourceType<?> type, String mesh, String name) {
        return new ResourceKey(type, mesh, name);
    }
}
