package io.ursa.core.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One control-plane instance of a cluster: the instances that share a store.
 *
 * @param id        the instance id, shown by {@code GET /} of that instance and in the proxies' insights
 * @param hostname  the host it runs on, as it reported itself
 * @param version   the Ursa version it runs
 * @param startedAt when it joined the cluster
 * @param lastSeen  its last heartbeat (for this instance: now)
 * @param leader    whether it leads the cluster: does the work done once per cluster
 */
public record ControlPlaneInstance(String id, String hostname, String version, Instant startedAt, Instant lastSeen,
                                   boolean leader) {
    public ControlPlaneInstance {
        requireNonNull(id, "id");
        requireNonNull(hostname, "hostname");
        requireNonNull(version, "version");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(lastSeen, "lastSeen");
    }
}
