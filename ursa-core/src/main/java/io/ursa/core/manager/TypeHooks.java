package io.ursa.core.manager;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.Violations;
import java.util.List;

/**
 * Type-specific steps of the write pipeline, beyond stateless validation: checks that need the store (CA
 * backends, mesh constraints, resources still in use) and follow-up writes (a new mesh's defaults). Every method
 * runs while the mesh lock of the write is held.
 */
interface TypeHooks<S extends Spec> {
    default void beforeCreate(Resource<S> resource, Violations violations) {
    }

    default void beforeUpdate(Resource<S> current, Resource<S> updated, Violations violations) {
    }

    /**
     * Resources to create in the same store transaction as {@code resource}, which is about to be created: a new
     * mesh's default resources, in the order they are written (and announced). Each goes through the create
     * pipeline of its type as well; ones that exist already must be left out. Runs after {@link #beforeCreate}.
     * What a companion has to say of itself (a log line) goes in its {@link Companion#afterWritten}.
     */
    default List<Companion> createdWith(Resource<S> resource) {
        return List.of();
    }

    default void afterCreate(Resource<S> stored) {
    }

    default void afterUpdate(Resource<S> stored) {
    }

    default void beforeDelete(Resource<S> current, Violations violations) {
    }
}
