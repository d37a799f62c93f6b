package io.ursa.core.manager;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.Violations;

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

    default void afterCreate(Resource<S> stored) {
    }

    default void afterUpdate(Resource<S> stored) {
    }

    default void beforeDelete(Resource<S> current, Violations violations) {
    }
}
