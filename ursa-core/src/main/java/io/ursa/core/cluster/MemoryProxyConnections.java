package io.ursa.core.cluster;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ProxyConnections} in this process, for the stores that one instance holds alone (memory, embedded): the
 * cluster is that instance, so nothing needs to outlive it. Thread-safe: every method synchronizes on this.
 */
public final class MemoryProxyConnections implements ProxyConnections {
    private final Clock clock;
    private final Map<ResourceKey, ProxyConnection> records = new HashMap<>();

    public MemoryProxyConnections(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void connected(ResourceKey proxy, String instanceId, Optional<Instant> registered) {
        requireNonNull(proxy, "proxy");
        requireNonNull(instanceId, "instanceId");
        requireNonNull(registered, "registered");
        Optional<Instant> kept = registered.or(() -> Optional.ofNullable(records.get(proxy))
                .flatMap(ProxyConnection::registered));
        records.put(proxy, new ProxyConnection(proxy, instanceId, clock.instant(), Optional.empty(), kept));
    }

    @Override
    public synchronized boolean disconnected(ResourceKey proxy, String instanceId) {
        requireNonNull(proxy, "proxy");
        requireNonNull(instanceId, "instanceId");
        ProxyConnection current = records.get(proxy);
        if (current == null || !current.instanceId().equals(instanceId) || !current.isConnected()) {
            return false;
        }
        records.put(proxy, closed(current, clock.instant()));
        return true;
    }

    @Override
    public synchronized Optional<ProxyConnection> get(ResourceKey proxy) {
        return Optional.ofNullable(records.get(requireNonNull(proxy, "proxy")));
    }

    @Override
    public synchronized List<ProxyConnection> all() {
        return List.copyOf(records.values());
    }

    @Override
    public synchronized List<ProxyConnection> closeConnectionsOf(Set<String> liveInstanceIds) {
        requireNonNull(liveInstanceIds, "liveInstanceIds");
        Instant now = clock.instant();
        List<ProxyConnection> closed = new ArrayList<>();
        for (ProxyConnection connection : List.copyOf(records.values())) {
            if (connection.isConnected() && !liveInstanceIds.contains(connection.instanceId())) {
                ProxyConnection orphan = closed(connection, now);
                records.put(connection.proxy(), orphan);
                closed.add(orphan);
            }
        }
        return closed;
    }

    @Override
    public synchronized List<ProxyConnection> abandoned(Duration delay) {
        requireNonNull(delay, "delay");
        Instant cutoff = clock.instant().minus(delay);
        return records.values().stream()
                .filter(c -> c.disconnectTime().filter(t -> !t.isAfter(cutoff)).isPresent())
                .sorted(Comparator.comparing(c -> c.disconnectTime().orElseThrow()))
                .toList();
    }

    @Override
    public synchronized boolean forget(ProxyConnection abandoned) {
        requireNonNull(abandoned, "abandoned");
        return records.remove(abandoned.proxy(), abandoned);
    }

    private static ProxyConnection closed(ProxyConnection connection, Instant at) {
        return new ProxyConnection(connection.proxy(), connection.instanceId(), connection.connectTime(),
                Optional.of(at), connection.registered());
    }
}
