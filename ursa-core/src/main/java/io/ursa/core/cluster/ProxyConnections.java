package io.ursa.core.cluster;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The record, shared by every instance of a cluster, of which instance each proxy (a Dataplane or a ZoneEgress,
 * by its {@link ResourceKey}) is connected to, since when, when it left, and whether one of its connections
 * registered (created) its resource. One record per proxy: the latest connection wins, wherever it is.
 *
 * <p>With it the leader removes the resources that proxies registered once they have been gone for the
 * deregistration delay, even when the instance they were connected to died, and every instance can tell that a
 * proxy is connected to another one. Times come from the implementation's clock. Implementations are thread-safe;
 * every operation is atomic on its record. The contract is the suite {@code ProxyConnectionsContract} in
 * ursa-testing, which every implementation runs.
 */
public interface ProxyConnections {

    /**
     * What is known of one proxy's latest connection.
     *
     * @param proxy          the Dataplane or ZoneEgress the proxy serves
     * @param instanceId     the control-plane instance it is (or was last) connected to
     * @param connectTime    when that connection opened
     * @param disconnectTime when it closed (or when the sweep found its instance gone); empty while it is open
     * @param registered     the creation time of the resource as a connection of this proxy created it; empty when
     *                       the resource was there before (created through the API): then it is never removed
     *                       for this proxy's leaving
     */
    record ProxyConnection(ResourceKey proxy, String instanceId, Instant connectTime,
                           Optional<Instant> disconnectTime, Optional<Instant> registered) {
        public ProxyConnection {
            requireNonNull(proxy, "proxy");
            requireNonNull(instanceId, "instanceId");
            requireNonNull(connectTime, "connectTime");
            requireNonNull(disconnectTime, "disconnectTime");
            requireNonNull(registered, "registered");
        }

        /** Whether the connection is open (as far as the record knows). */
        public boolean isConnected() {
            return disconnectTime.isEmpty();
        }
    }

    /**
     * Records that {@code proxy} connected to instance {@code instanceId} now, replacing whatever the record said
     * (a connection to another instance included: the proxy moved).
     *
     * @param registered the creation time of the resource when this connection created it; when empty, an
     *                   earlier connection's registration is kept (the resource it created is still the proxy's)
     */
    void connected(ResourceKey proxy, String instanceId, Optional<Instant> registered);

    /**
     * Records that the connection of {@code proxy} to {@code instanceId} closed now. No effect, and false, when the
     * record names another instance (the proxy reconnected elsewhere and must not be taken for gone), is already
     * closed, or there is none.
     */
    boolean disconnected(ResourceKey proxy, String instanceId);

    /** The record of {@code proxy}, or empty when it has none (it never connected, or was forgotten). */
    Optional<ProxyConnection> get(ResourceKey proxy);

    /** Every record, in no particular order. */
    List<ProxyConnection> all();

    /**
     * Closes, as of now, every open connection held by an instance that is not in {@code liveInstanceIds}: its
     * instance died without saying so, and its proxies count as gone from when this was first noticed (the
     * leader's sweep calls it before {@link #abandoned}). Returns the records it closed.
     */
    List<ProxyConnection> closeConnectionsOf(Set<String> liveInstanceIds);

    /**
     * The records of proxies gone for at least {@code delay}: closed at or before now minus {@code delay}, in the
     * order they closed. The caller removes the resources that these registered ({@link ProxyConnection#registered})
     * and then {@link #forget}s them; the others are forgotten too (nothing remains to do for them).
     */
    List<ProxyConnection> abandoned(Duration delay);

    /**
     * Removes the record of {@code abandoned.proxy()} if it is still exactly {@code abandoned} (same instance,
     * connect and disconnect times, registration), and says whether it did. A proxy that connected again since
     * {@code abandoned} was read keeps its record, and the caller must then leave its resource alone.
     */
    boolean forget(ProxyConnection abandoned);
}
