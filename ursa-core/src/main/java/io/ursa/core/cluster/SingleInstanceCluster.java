package io.ursa.core.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cluster of a store that one control plane holds alone (the embedded store locks its directory; the memory
 * store lives in the process): this instance, always the leader.
 */
public final class SingleInstanceCluster implements Cluster {
    private final String instanceId;
    private final String hostname;
    private final String version;
    private final Instant startedAt;
    private final Clock clock;

    public SingleInstanceCluster(String instanceId, String hostname, String version, Clock clock) {
        this.instanceId = requireNonNull(instanceId, "instanceId");
        this.hostname = requireNonNull(hostname, "hostname");
        this.version = requireNonNull(version, "version");
        this.clock = requireNonNull(clock, "clock");
        this.startedAt = clock.instant();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public boolean isLeader() {
        return true;
    }

    @Override
    public List<ControlPlaneInstance> instances() {
        return List.of(new ControlPlaneInstance(instanceId, hostname, version, startedAt, clock.instant(), true));
    }

    @Override
    public AutoCloseable onLeadershipChange(Consumer<Boolean> listener) {
        requireNonNull(listener, "listener").accept(true);
        return () -> { };
    }

    @Override
    public void close() {
    }
}
