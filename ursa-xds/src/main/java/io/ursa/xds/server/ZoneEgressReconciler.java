package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.ca.MeshCa;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ZoneEgressProxy;
import io.ursa.xds.generator.ZoneEgressGenerator;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.ProxySnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the zone egress proxies' snapshots in step for the {@link Reconciler}. A zone egress belongs to no mesh and
 * serves every mesh with {@code routing.zoneEgress} and working mTLS, so its configuration is made from the contexts
 * of all of them ({@link ZoneEgressGenerator}) and its identity in each ({@code spiffe://<mesh>/zone-egress}). An
 * egress whose inputs (its ZoneEgress, what it reported, the served meshes' context hashes and its certificates) did
 * not change since its last generation is skipped. When a served mesh's context cannot be read right now (it is
 * being written to), no egress is regenerated in this pass: an egress never loses a mesh for a transient reason;
 * the mesh's next pass comes back here.
 *
 * <p>Threading: runs on the reconciler thread only, and shares that thread's bookkeeping ({@code generatedFrom}).
 */
final class ZoneEgressReconciler {
    private static final Logger log = LoggerFactory.getLogger(ZoneEgressReconciler.class);

    /** How a failed generation is reported: the same way as a sidecar's. */
    @FunctionalInterface
    interface Failures {
        void fail(Subscription subscription, String reason, Throwable cause);
    }

    private final MeshContextBuilder contexts;
    private final ProxySnapshots snapshots;
    private final ProxyCertificates certificates;
    private final Map<Long, GeneratedFrom> generatedFrom;
    private final BiConsumer<ProxyKey, Instant> renewal;
    private final Failures failures;

    ZoneEgressReconciler(MeshContextBuilder contexts, ProxySnapshots snapshots, ProxyCertificates certificates,
                         Map<Long, GeneratedFrom> generatedFrom, BiConsumer<ProxyKey, Instant> renewal,
                         Failures failures) {
        this.contexts = requireNonNull(contexts, "contexts");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.certificates = requireNonNull(certificates, "certificates");
        this.generatedFrom = requireNonNull(generatedFrom, "generatedFrom");
        this.renewal = requireNonNull(renewal, "renewal");
        this.failures = requireNonNull(failures, "failures");
    }

    /**
     * Regenerates the connected zone egresses whose inputs changed.
     *
     * @param cached the contexts the reconciler holds, by mesh (fresh for every mesh marked dirty in this pass)
     * @param build  reads a mesh's context (and caches it); empty when there is no such mesh or it is changing
     */
    void reconcile(List<Subscription> egresses, Map<String, MeshContext> cached,
                   Function<String, Optional<MeshContext>> build) {
        if (egresses.isEmpty()) {
            return;
        }
        List<MeshContext> served = new ArrayList<>();
        for (String mesh : contexts.zoneEgressMeshes()) {
            Optional<MeshContext> context = Optional.ofNullable(cached.get(mesh)).or(() -> build.apply(mesh));
            if (context.isEmpty()) {
                log.debug("zone egresses keep their configuration: mesh {} cannot be read right now", mesh);
                return;
            }
            if (context.get().mtls().flatMap(MeshMtls::ca).isPresent()) {
                served.add(context.get());
            }
        }
        for (Subscription subscription : egresses) {
            generate(subscription, served);
        }
    }

    private void generate(Subscription subscription, List<MeshContext> served) {
        ProxyKey key = subscription.key();
        Optional<Resource<ZoneEgressSpec>> zoneEgress = contexts.zoneEgress(key.name());
        if (zoneEgress.isEmpty()) {
            failures.fail(subscription, "its ZoneEgress is not registered any more", null);
            return;
        }
        List<ZoneEgressProxy.Served> meshes = new ArrayList<>();
        StringBuilder inputs = new StringBuilder(zoneEgress.get().spec().toString())
                .append('|').append(subscription.metadata());
        Instant renewAt = null;
        for (MeshContext mesh : served) {
            MeshCa ca = mesh.mtls().flatMap(MeshMtls::ca).orElseThrow();
            ProxyCertificates.Issued issued;
            try {
                issued = certificates.zoneEgressIdentity(key, ca, mesh.name());
            } catch (RuntimeException e) {
                failures.fail(subscription, "cannot issue its identity certificate in mesh " + mesh.name() + ": "
                        + e.getMessage(), e);
                return;
            }
            meshes.add(new ZoneEgressProxy.Served(mesh, issued.identity()));
            inputs.append('|').append(mesh.name()).append('=').append(mesh.hash()).append('/')
                    .append(issued.version());
            renewAt = renewAt == null || issued.renewAt().isBefore(renewAt) ? issued.renewAt() : renewAt;
        }
        if (renewAt != null) {
            renewal.accept(key, renewAt);
        }
        GeneratedFrom now = GeneratedFrom.zoneProxy(inputs.toString());
        if (now.equals(generatedFrom.get(subscription.streamId()))) {
            return;
        }
        ZoneEgressProxy proxy = new ZoneEgressProxy(zoneEgress.get(), subscription.metadata(), meshes);
        try {
            ResourceSet resources = ZoneEgressGenerator.generate(proxy);
            boolean pushed = snapshots.updateZoneProxy(key.nodeId(), resources);
            generatedFrom.put(subscription.streamId(), now);
            if (subscription.generated().isPresent()) {
                log.info("configuration of {} generated again after an earlier failure", key);
            }
            if (pushed) {
                log.debug("new configuration for {} ({} meshes, {} resources)", key, meshes.size(),
                        resources.size());
            }
        } catch (RuntimeException e) {
            failures.fail(subscription, String.valueOf(e.getMessage()), e);
        }
    }
}
