package io.ursa.core.event;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

/**
 * Receives committed changes, on the writing thread, after the commit. Implementations must be quick and must not
 * throw; hand work to their own thread.
 *
 * <p>A store whose changes also come from elsewhere (the PostgreSQL store hears other control planes through the
 * database) may lose some of them, for instance while its connection to the database is down. Once it hears
 * changes again it calls {@link #onResync}: any resource may have changed meanwhile without an {@link #onChange},
 * so a listener that keeps state derived from the store must treat all of it as stale (a cache drops everything,
 * the xDS reconciler recomputes every mesh). The default does nothing, which is right only for listeners that
 * keep no such state; a listener written as a lambda gets it, so one that caches should be built with
 * {@link #of(Consumer, Runnable)}.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(ResourceChange change);

    /**
     * Changes may have been missed: everything read from the store before this call may be stale. Called on a
     * thread of the store; quick and must not throw, like {@link #onChange}.
     */
    default void onResync() {
    }

    /** A listener that hands changes to {@code onChange} and resyncs to {@code onResync}. */
    static ChangeListener of(Consumer<ResourceChange> onChange, Runnable onResync) {
        requireNonNull(onChange, "onChange");
        requireNonNull(onResync, "onResync");
        return new ChangeListener() {
            @Override
            public void onChange(ResourceChange change) {
                onChange.accept(change);
            }

            @Override
            public void onResync() {
                onResync.run();
            }
        };
    }
}
