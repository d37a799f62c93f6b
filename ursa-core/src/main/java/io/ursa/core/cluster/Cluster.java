package io.ursa.core.cluster;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control-plane instances that share one store, and which of them leads. The leader does the work that must
 * happen once per cluster rather than once per instance (removing the Dataplanes whose proxy left, for instance);
 * every instance serves the API and proxies alike. With a store only one instance can open (embedded, memory) the
 * cluster is that instance, which always leads ({@link SingleInstanceCluster}). Implementations are thread-safe.
 */
public interface Cluster extends AutoCloseable {

    /** This instance's id. */
    String instanceId();

    /** Whether this instance leads now. May change at any time; work that needs it checks again as it goes. */
    boolean isLeader();

    /** Every live instance (this one included), ordered by start time, the leader marked. */
    List<ControlPlaneInstance> instances();

    /**
     * Calls {@code listener} with {@code true} when this instance becomes the leader and {@code false} when it stops
     * being it, on a thread of the cluster; immediately, on the caller's thread, with {@code true} if it leads now.
     * Closing the handle unregisters the listener.
     */
    AutoCloseable onLeadershipChange(Consumer<Boolean> listener);

    /**
     * Why this instance cannot do its share of the cluster's work now (for example: the shared store has not
     * answered its heartbeat since a given time), or empty when it can. The diagnostics port's {@code /ready}
     * answers 503 with it.
     */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /** Leaves the cluster: gives up leadership at once rather than when the instance's lease runs out. */
    @Override
    void close();
}
