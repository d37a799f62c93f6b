package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;

/**
 * A resource created together with another one ({@link TypeHooks#createdWith}), and what to run once it is
 * written: only after the store has committed it, and never if it was not written (the write failed, or another
 * control plane had created it meanwhile and its version was kept).
 */
record Companion(Resource<?> resource, Runnable afterWritten) {
    private static final Runnable NOTHING = () -> { };

    Companion {
        requireNonNull(resource, "resource");
        requireNonNull(afterWritten, "afterWritten");
    }

    /** A companion with nothing to run after its write. */
    static Companion of(Resource<?> resource) {
        return new Companion(resource, NOTHING);
    }

    Companion withResource(Resource<?> checked) {
        return new Companion(checked, afterWritten);
    }
}
