package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;

/**
 * A resource created together with another one ({@link TypeHooks#createdWith}), what to run once it is written
 * (only after the store has committed it), and what to run when the store certainly did not write it because a
 * name was taken (another control plane created the resource it goes with, or this one, meanwhile). Neither runs
 * when the write failed otherwise: a write whose outcome is unknown may have been committed.
 */
record Companion(Resource<?> resource, Runnable afterWritten, Runnable notWritten) {
    static final Runnable NOTHING = () -> { };

    Companion {
        requireNonNull(resource, "resource");
        requireNonNull(afterWritten, "afterWritten");
        requireNonNull(notWritten, "notWritten");
    }

    /** A companion with nothing to run after its write or in its place. */
    static Companion of(Resource<?> resource) {
        return new Companion(resource, NOTHING, NOTHING);
    }

    Companion withResource(Resource<?> checked) {
        return new Companion(checked, afterWritten, notWritten);
    }
}
