package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ControlPlaneInstance;
import io.ursa.core.cluster.SingleInstanceCluster;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The instances of a cluster as a test decides them: which are alive and which one leads. Each instance's view is
 * a {@link Cluster} ({@link #instance}); what the test changes, every view sees at once, as instances that share a
 * database see one another's heartbeats. Thread-safe.
 */
final class TestCluster {
    private final Set<String> alive = new LinkedHashSet<>();
    private final List<Consumer<String>> leadershipListeners = new CopyOnWriteArrayList<>();
    private final Instant startedAt = Instant.now();
    private String leader;

    /** The cluster of a store one instance holds alone, as the memory and embedded stores are. */
    static Cluster alone(String instanceId) {
        return new SingleInstanceCluster(instanceId, "localhost", "test", Clock.systemUTC());
    }

    /** Adds a live instance; the first one added leads. Returns its view of the cluster. */
    synchronized Cluster instance(String id) {
        alive.add(requireNonNull(id, "id"));
        if (leader == null) {
            leader = id;
        }
        return new View(id);
    }

    /** Makes {@code id} the leader (and no other). */
    void lead(String id) {
        synchronized (this) {
            leader = id;
        }
        leadershipListeners.forEach(listener -> listener.accept(id));
    }

    /** {@code id} stops heartbeating: it is no longer in anyone's list of live instances, nor the leader. */
    synchronized void dies(String id) {
        alive.remove(id);
        if (id.equals(leader)) {
            leader = null;
        }
    }

    private synchronized boolean leads(String id) {
        return id.equals(leader);
    }

    private synchronized List<ControlPlaneInstance> live() {
        List<ControlPlaneInstance> instances = new ArrayList<>();
        for (String id : alive) {
            instances.add(new ControlPlaneInstance(id, "localhost", "test", startedAt, Instant.now(),
                    id.equals(leader)));
        }
        return instances;
    }

    private final class View implements Cluster {
        private final String id;

        View(String id) {
            this.id = id;
        }

        @Override
        public String instanceId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return leads(id);
        }

        @Override
        public List<ControlPlaneInstance> instances() {
            return live();
        }

        @Override
        public AutoCloseable onLeadershipChange(Consumer<Boolean> listener) {
            Consumer<String> adapter = newLeader -> listener.accept(id.equals(newLeader));
            leadershipListeners.add(adapter);
            if (isLeader()) {
                listener.accept(true);
            }
            return () -> leadershipListeners.remove(adapter);
        }

        @Override
        public void close() {
        }
    }
}
