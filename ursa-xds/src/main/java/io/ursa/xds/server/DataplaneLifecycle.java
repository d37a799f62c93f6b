package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.ValidationException;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.core.manager.MeshNotFoundException;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.manager.UpsertResult;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.StoreException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * <p>Which Dataplanes a connection created is kept in memory: after a control plane restart, a proxy that never
 * comes back leaves its Dataplane behind (shown offline), like Kuma. Thread-safe: methods synchronize on this.
 */
final class DataplaneLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DataplaneLifecycle.class);

    private final ResourceManager manager;
    private final ResourceCodec codec;
    private final ScheduledExecutorService scheduler;
    private final Duration deregistrationDelay;
    private final Predicate<ProxyKey> connected;
    private final Set<ProxyKey> registeredByProxy = new HashSet<>();
    private final Map<ProxyKey, ScheduledFuture<?>> pendingDeletes = new HashMap<>();

    DataplaneLifecycle(ResourceManager manager, ResourceCodec codec, ScheduledExecutorService scheduler,
                       Duration deregistrationDelay, Predicate<ProxyKey> connected) {
        this.manager = requireNonNull(manager, "manager");
        this.codec = requireNonNull(codec, "codec");
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.deregistrationDelay = requireNonNull(deregistrationDelay, "deregistrationDelay");
        this.connected = requireNonNull(connected, "connected");
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

    /** Creates or updates the Dataplane the proxy defined, through the manager (validation, constraints). */
    void register(Resource<DataplaneSpec> dataplane) throws ProxyRefusedException {
        upsert(ResourceTypes.DATAPLANE, new ProxyKey(dataplane.mesh(), dataplane.name()), dataplane.spec());
    }

    /** Creates or updates the ZoneEgress the proxy defined, through the manager (validation). */
    void registerZoneEgress(Resource<ZoneEgressSpec> zoneEgress) throws ProxyRefusedException {
        upsert(ResourceTypes.ZONE_EGRESS, new ProxyKey("", zoneEgress.name()), zoneEgress.spec());
    }

    private <S extends io.ursa.api.resource.Spec> void upsert(io.ursa.api.resource.ResourceType<S> type,
                                                             ProxyKey key, S spec) throws ProxyRefusedException {
        synchronized (this) {
            ScheduledFuture<?> pending = pendingDeletes.remove(key);
            if (pending != null) {
                pending.cancel(false);
            }
        }
        Optional<Resource<S>> current = manager.get(type, key.mesh(), key.name());
        if (current.isPresent() && current.get().spec().equals(spec)) {
            return;
        }
        String what = type.name() + " " + (key.isZoneProxy() ? key.name() : key.toString());
        try {
            UpsertResult<S> result = manager.upsert(type, key.mesh(), key.name(), spec, OptionalLong.empty());
            if (result.outcome() == UpsertResult.Outcome.CREATED) {
                synchronized (this) {
                    registeredByProxy.add(key);
                }
                log.info("registered {} for its proxy", what);
            } else if (result.outcome() == UpsertResult.Outcome.UPDATED) {
                log.info("updated {} to the definition its proxy sent", what);
            }
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
     * The proxy's stream closed: deletes the Dataplane after the delay if its connection created it and no new
     * stream of it is open by then.
     */
    synchronized void disconnected(ProxyKey key) {
        if (!registeredByProxy.contains(key) || pendingDeletes.containsKey(key)) {
            return;
        }
        try {
            pendingDeletes.put(key, scheduler.schedule(() -> deregister(key), deregistrationDelay.toMillis(),
                    TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            log.debug("not deregistering Dataplane {}: the control plane is stopping", key);
        }
    }

    /**
     * Whether the Dataplane of {@code key} is due to be deleted: its proxy left, the delay has not run out and no
     * stream of it came back. Package-private for tests, which see a reconnect cancel the deletion this way rather
     * than by waiting out the delay.
     */
    synchronized boolean deregistrationPending(ProxyKey key) {
        return pendingDeletes.containsKey(key);
    }

    private void deregister(ProxyKey key) {
        synchronized (this) {
            pendingDeletes.remove(key);
            if (connected.test(key)) {
                return;
            }
            registeredByProxy.remove(key);
        }
        io.ursa.api.resource.ResourceType<?> type = key.isZoneProxy() ? ResourceTypes.ZONE_EGRESS
                : ResourceTypes.DATAPLANE;
        String what = type.name() + " " + (key.isZoneProxy() ? key.name() : key.toString());
        try {
            manager.delete(type, key.mesh(), key.name());
            log.info("deregistered {}: its proxy disconnected {} ago", what, deregistrationDelay);
        } catch (NotFoundException e) {
            log.debug("{} was already deleted", what);
        } catch (RuntimeException e) {
            log.warn("cannot deregister {}: {}", what, e.toString());
        }
    }
}
