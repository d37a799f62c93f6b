package io.ursa.core.event;

/**
 * Receives committed changes, on the writing thread, after the commit. Implementations must be quick and must not
 * throw; hand work to their own thread.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(ResourceChange change);
}
