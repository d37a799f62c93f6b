package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.ValidationException;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.core.cluster.ProxyConnections.ProxyConnection;
import io.ursa.core.manager.MeshNotFoundException;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.manager.UpsertResult;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Universal Dataplane lifecycle (spec §10.5): a proxy that brings its Dataplane definition gets it registered in
 * its mesh when it connects; a Dataplane that the connection created is deleted once the proxy has been gone for
 * the deregistration delay. A Dataplane that existed before the proxy connected (created through the API) is
 * updated to the proxy's definition but never deleted by a disconnect.
 *
 * <p>A zone egress proxy works the same way with its ZoneEgress, which belongs to no mesh.
 *
 * <p>Which instance each proxy is connected to, and whether its connection created its resource, is kept in the
 * cluster's shared {@link ProxyConnections}: this class records there the connects and disconnects of the proxies
 * of this instance. Removing what abandoned proxies registered is the leader's job ({@link #sweep}, run on the
 * timer thread every {@link #sweepPeriod}): it removes a resource once its proxy has been gone for the delay,
 * whichever instance the proxy was connected to, and also when that instance died (then counted from when the
 * sweep noticed it was no longer alive). A resource deleted since, or deleted and created again (another creation
 * time), is left alone. With the memory and embedded stores the record is in memory
 * ({@code MemoryProxyConnections}): after a restart, a proxy that never comes back leaves its Dataplane behind
 * (shown offline), like Kuma.
 *
 * <p>Not closed: the record and the store are not written in one transaction. A proxy that reconnects in the
 * millisecond between the sweep forgetting its record and deleting its resource finds its resource gone (its
 * configuration then keeps the last one and shows a generation error until it reconnects).
 *
 * <p>Thread-safe: {@link #connected} and {@link #disconnected} synchronize on this, so that a stream that closes
 * while another stream of the same proxy opens on this instance cannot leave the record saying it is gone.
 */
final class DataplaneLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DataplaneLifecycle.class);
    private static final Duration LONGEST_SWEEP_PERIOD = Duration.ofSeconds(1);
    private static final Duration SHORTEST_SWEEP_PERIOD = Duration.ofMillis(10);

    private final ResourceManager manager;
    private final ResourceCodec codec;
    private final Duration deregistrationDelay;
    private final ProxyConnections connections;
    private final Cluster cluster;
    private final Predicate<ProxyKey> connectedHere;
    private final Clock clock;

    /**
     * @param connectedHere whether a stream of the proxy is open on this instance
     */
    DataplaneLifecycle(ResourceManager manager, ResourceCodec codec, Duration deregistrationDelay,
                       ProxyConnections connections, Cluster cluster, Predicate<ProxyKey> connectedHere,
                       Clock clock) {
        this.manager = requireNonNull(manager, "manager");
        this.codec = requireNonNull(codec, "codec");
        this.deregistrationDelay = requireNonNull(deregistrationDelay, "deregistrationDelay");
        this.connections = requireNonNull(connections, "connections");
        this.cluster = requireNonNull(cluster, "cluster");
        this.connectedHere = requireNonNull(connectedHere, "connectedHere");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * How often the leader looks for abandoned proxies: half the delay, at most a second (at least 10 ms), so a
     * resource goes at most that much later than the delay after its proxy left.
     */
    static Duration sweepPeriod(Duration deregistrationDelay) {
        Duration half = deregistrationDelay.dividedBy(2);
        Duration period = half.compareTo(LONGEST_SWEEP_PERIOD) < 0 ? half : LONGEST_SWEEP_PERIOD;
        return period.compareTo(SHORTEST_SWEEP_PERIOD) < 0 ? SHORTEST_SWEEP_PERIOD : period;
    }

    /**
     * The Dataplane a proxy claims: its definition parsed and checked against its node id, or the stored one
     * when it sent none.
     */
    Resource<DataplaneSpec> resolve(ProxyKey key, Optional<String> definition) throws ProxyRefusedException {
        if (manager.get(ResourceTypes.MESH, "", key.mesh()).isEmpty()) {
            throw new ProxyRefusedException(Status.Code.NOT_FOUND, "mesh \"" + key.mesh() + "\" does not exist"
                    + " (the proxy connected as " + key.nodeId() + "; create the mesh first or fix --mesh)");
        }
        if (definition.isEmpty()) {
            return manager.get(ResourceTypes.DATAPLANE, key.mesh(), key.name()).orElseThrow(() ->
                    new ProxyRefusedException(Status.Code.NOT_FOUND, "Dataplane \"" + key.name() + "\" is not"
                            + " found in mesh \"" + key.mesh() + "\": create it through the API before the proxy"
                            + " connects, or let the proxy send its definition (ursa-dp --dataplane-file)"));
        }
        Resource<?> decoded;
        try {
            JsonNode document = codec.parseJson(definition.get());
            decoded = codec.decode(document);
        } catch (DecodeException e) {
            throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, "the Dataplane definition of "
                    + key.nodeId() + " cannot be read: " + e.getMessage());
        }
        if (decoded.type() != ResourceTypes.DATAPLANE) {
            throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, "the definition of " + key.nodeId()
                    + " is a " + decoded.type().name() + " (expected: Dataplane)");
        }
        if (!decoded.mesh().equals(key.mesh()) || !decoded.name().equals(key.name())) {
            throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, "the Dataplane definition is "
                    + decoded.mesh() + "/" + decoded.name() + " but the proxy connected as " + key.nodeId()
                    + " (expected: the same mesh and name)");
        }
        return decoded.as(ResourceTypes.DATAPLANE);
    }

    /**
     * The ZoneEgress a zone egress proxy ({@code .<name>}) claims: its definition parsed and checked against its
     * node id, or the stored one when it sent none.
     */
    Resource<ZoneEgressSpec> resolveZoneEgress(ProxyKey key, Optional<String> definition)
            throws ProxyRefusedException {
        if (definition.isEmpty()) {
            return manager.get(ResourceTypes.ZONE_EGRESS, "", key.name()).orElseThrow(() ->
                    new ProxyRefusedException(Status.Code.NOT_FOUND, "ZoneEgress \"" + key.name() + "\" is not"
                            + " found: create it through the API before the proxy connects, or let the proxy send"
                            + " its definition (ursa-dp run --proxy-type egress --dataplane-file)"));
        }
        Resource<?> decoded;
        try {
            decoded = codec.decode(codec.parseJson(definition.get()));
        } catch (DecodeException e) {
            throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, "the ZoneEgress definition of "
                    + key.nodeId() + " cannot be read: " + e.getMessage());
        }
        if (decoded.type() != ResourceTypes.ZONE_EGRESS) {
            throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, "the definition of " + key.nodeId()
                    + " is a " + decoded.type().name() + " (expected: ZoneEgress, as the proxy connected as a"
                    + " zone egress)");
        }
        if (!decoded.name().equals(key.name())) {
            throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, "the ZoneEgress definition is "
                    + decoded.name() + " but the proxy connected as " + key.nodeId() + " (expected: the same name)");
        }
        return decoded.as(ResourceTypes.ZONE_EGRESS);
    }

    /**
     * Creates or updates the Dataplane the proxy defined, through the manager (validation, constraints); returns
     * its creation time when this created it (the registration to pass to {@link #connected}).
     */
    Optional<Instant> register(Resource<DataplaneSpec> dataplane) throws ProxyRefusedException {
        return upsert(ResourceTypes.DATAPLANE, new ProxyKey(dataplane.mesh(), dataplane.name()), dataplane.spec());
    }

    /**
     * Creates or updates the ZoneEgress the proxy defined, through the manager (validation); returns what
     * {@link #register} does.
     */
    Optional<Instant> registerZoneEgress(Resource<ZoneEgressSpec> zoneEgress) throws ProxyRefusedException {
        return upsert(ResourceTypes.ZONE_EGRESS, new ProxyKey("", zoneEgress.name()), zoneEgress.spec());
    }

    private <S extends Spec> Optional<Instant> upsert(ResourceType<S> type, ProxyKey key, S spec)
            throws ProxyRefusedException {
        Optional<Resource<S>> current = manager.get(type, key.mesh(), key.name());
        if (current.isPresent() && current.get().spec().equals(spec)) {
            return Optional.empty();
        }
        String what = type.name() + " " + (key.isZoneProxy() ? key.name() : key.toString());
        try {
            UpsertResult<S> result = manager.upsert(type, key.mesh(), key.name(), spec, OptionalLong.empty());
            if (result.outcome() == UpsertResult.Outcome.CREATED) {
                log.info("registered {} for its proxy", what);
                return Optional.of(result.resource().meta().creationTime());
            }
            if (result.outcome() == UpsertResult.Outcome.UPDATED) {
                log.info("updated {} to the definition its proxy sent", what);
            }
            return Optional.empty();
        } catch (MeshNotFoundException e) {
            throw new ProxyRefusedException(Status.Code.NOT_FOUND, "mesh \"" + key.mesh() + "\" does not exist");
        } catch (ValidationException e) {
            throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, what + " is not valid: " + e.getMessage());
        } catch (StoreException e) {
            throw new ProxyRefusedException(Status.Code.UNAVAILABLE, "cannot register " + what + ": "
                    + e.getMessage());
        }
    }

    /**
     * A stream of the proxy opened on this instance (after {@link ProxyRegistry#opened}): the shared record says
     * it is connected here.
     *
     * @param registered what {@link #register} returned, or empty when the proxy registered nothing
     */
    synchronized void connected(ProxyKey key, Optional<Instant> registered) {
        try {
            connections.connected(resourceKey(key), cluster.instanceId(), registered);
        } catch (RuntimeException e) {
            log.warn("cannot record that proxy {} connected to this instance: {}", key, e.toString());
        }
    }

    /**
     * A stream of the proxy closed on this instance (after {@link ProxyRegistry#closed}): unless another stream
     * of it is still open here, the shared record says it left, and the leader removes what it registered once
     * the delay runs out and it has not come back (here or elsewhere).
     */
    synchronized void disconnected(ProxyKey key) {
        if (connectedHere.test(key)) {
            return;
        }
        try {
            connections.disconnected(resourceKey(key), cluster.instanceId());
        } catch (RuntimeException e) {
            log.warn("cannot record that proxy {} disconnected from this instance: {}", key, e.toString());
        }
    }

    /**
     * Whether the resource of {@code key} is due to be removed: its proxy registered it and left, and has not come
     * back yet. Package-private for tests, which see a reconnect cancel the removal this way rather than by
     * waiting out the delay.
     */
    boolean deregistrationPending(ProxyKey key) {
        return connections.get(resourceKey(key))
                .filter(c -> !c.isConnected() && c.registered().isPresent()).isPresent();
    }

    /**
     * The leader's round, on the timer thread: closes the connections of instances no longer alive, then removes
     * the resources that proxies gone for the delay registered, and forgets their records. Does nothing on an
     * instance that does not lead. Never throws (a scheduled task that throws is not run again).
     */
    void sweep() {
        try {
            if (!cluster.isLeader()) {
                return;
            }
            Set<String> alive = new HashSet<>();
            alive.add(cluster.instanceId());
            cluster.instances().forEach(instance -> alive.add(instance.id()));
            for (ProxyConnection orphan : connections.closeConnectionsOf(alive)) {
                log.info("the proxy of {} counts as gone from now: control-plane instance {}, which it was"
                        + " connected to, is no longer alive", what(orphan.proxy()), orphan.instanceId());
            }
            for (ProxyConnection abandoned : connections.abandoned(deregistrationDelay)) {
                if (!cluster.isLeader()) {
                    return;
                }
                remove(abandoned);
            }
        } catch (RuntimeException e) {
            log.warn("cannot look for proxies that left: {}", e.toString());
        }
    }

    private void remove(ProxyConnection abandoned) {
        ResourceKey key = abandoned.proxy();
        if (abandoned.instanceId().equals(cluster.instanceId())
                && connectedHere.test(new ProxyKey(key.mesh(), key.name()))) {
            // A stream of it is open here: the record missed its connect (the write failed). Put it right.
            connections.connected(key, cluster.instanceId(), Optional.empty());
            return;
        }
        // Forget first: a proxy that connects from now on gets a new record, and one that connected since the
        // record was read keeps its own (then forget fails and the resource stays).
        if (!connections.forget(abandoned) || abandoned.registered().isEmpty()) {
            return;
        }
        Instant registered = abandoned.registered().get();
        Optional<? extends Resource<?>> current = manager.get(key.type(), key.mesh(), key.name());
        if (current.isEmpty()) {
            log.debug("{} was already deleted", what(key));
            return;
        }
        if (!sameMillisecond(current.get().meta().creationTime(), registered)) {
            log.info("not deregistering {}: it was created again since its proxy registered it", what(key));
            return;
        }
        Duration gone = Duration.between(abandoned.disconnectTime().orElseThrow(), clock.instant())
                .truncatedTo(ChronoUnit.MILLIS);
        try {
            manager.delete(key.type(), key.mesh(), key.name());
            log.info("deregistered {}: its proxy left control-plane instance {} {} ago", what(key),
                    abandoned.instanceId(), gone);
        } catch (NotFoundException e) {
            log.debug("{} was already deleted", what(key));
        } catch (RuntimeException e) {
            log.warn("cannot deregister {}: {}", what(key), e.toString());
        }
    }

    /** Stores keep creation times to the millisecond at least; some to the microsecond or nanosecond. */
    private static boolean sameMillisecond(Instant a, Instant b) {
        return a.truncatedTo(ChronoUnit.MILLIS).equals(b.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The resource a proxy serves: its Dataplane, or for a zone proxy its ZoneEgress. */
    static ResourceKey resourceKey(ProxyKey key) {
        return key.isZoneProxy() ? ResourceKey.global(ResourceTypes.ZONE_EGRESS, key.name())
                : new ResourceKey(ResourceTypes.DATAPLANE, key.mesh(), key.name());
    }

    private static String what(ResourceKey key) {
        return key.mesh().isEmpty() ? key.type().name() + " " + key.name()
                : key.type().name() + " " + key.mesh() + "/" + key.name();
    }
}
