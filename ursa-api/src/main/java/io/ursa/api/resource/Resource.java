package io.ursa.api.resource;

import static java.util.Objects.requireNonNull;

/** One resource: its type, its meta and its spec. Immutable. */
public record Resource<S extends Spec>(ResourceType<S> type, ResourceMeta meta, S spec) {
    public Resource {
        requireNonNull(type, "type");
        requireNonNull(meta, "meta");
        requireNonNull(spec, "spec");
        if (!type.specClass().isInstance(spec)) {
            throw new IllegalArgumentException("spec of " + type.name() + " must be a "
                    + type.specClass().getSimpleName() + ", got: " + spec.getClass().getSimpleName());
        }
    }

    public static <S extends Spec> Resource<S> of(ResourceType<S> type, String mesh, String name, S spec) {
        return new Resource<>(type, ResourceMeta.of(mesh, name), spec);
    }

    public ResourceKey key() {
        return new ResourceKey(type, meta.mesh(), meta.name());
    }

    public String name() {
        return meta.name();
    }

    public String mesh() {
        return meta.mesh();
    }

    public Resource<S> withMeta(ResourceMeta newMeta) {
        return new Resource<>(type, newMeta, spec);
    }

    public Resource<S> withSpec(S newSpec) {
        return new Resource<>(type, meta, newSpec);
    }

    /** Narrows a resource of an unknown type; fails if the type differs. */
    @SuppressWarnings("unchecked")
    public <T extends Spec> Resource<T> as(ResourceType<T> expected) {
        if (type != expected) {
            throw new IllegalArgumentException("expected a " + expected.name() + ", got: " + type.name());
        }
        return (Resource<T>) this;
    }
}
