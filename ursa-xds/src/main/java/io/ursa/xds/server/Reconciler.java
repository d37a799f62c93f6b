package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.Resources;
import io.ursa.api.policy.ProxyTemplateSpec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.store.StoreUnavailableException;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.generator.template.ProxyTemplateException;
import io.ursa.xds.generator.template.ProxyTemplates;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.InconsistentSnapshotException;
import io.ursa.xds.snapshot.ProxySnapshots;
import io.ursa.xds.vips.VipRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every connected proxy's snapshot in step with the store. A committed change marks its mesh dirty; a new
 * stream marks its proxy; one pass on the reconciler thread rebuilds the {@link MeshContext} of each dirty mesh
 * once and regenerates the proxies of that mesh, so a burst of changes costs one pass. A mesh whose cross-mesh
 * gateway listeners changed makes the meshes that reach them dirty in the same pass ({@link CrossMeshRebuilds}).
 * A periodic resync marks every mesh with proxies dirty, as a safety net for a missed event; a proxy whose mesh
 * context and metadata are unchanged since its last generation is skipped, and {@link ProxySnapshots} pushes only
 * changed versions.
 *
 * <p>Threading: the dirty sets are guarded by this object; contexts, renewal timers and generation bookkeeping are
 * owned by the single reconciler thread of {@code executor}. Within a large pass, a mesh's proxies get their
 * certificates and are generated and pushed by the {@code workers} in parallel, one task per proxy (they only
 * read the shared, immutable mesh context; certificates and snapshot updates are thread-safe per proxy), and
 * their outcomes are recorded back on the reconciler thread.
 */
final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final MeshContextBuilder contexts;
    private final ProxyRegistry registry;
    private final ProxySnapshots snapshots;
    private final ProxyCertificates certificates;
    private final ScheduledExecutorService executor;
    /** Generate and push proxies' configurations in parallel during a pass; see {@link #generateAll}. */
    private final ExecutorService workers;
    private final int parallelism;
    /** Runs after every pass that generated something (the packed-resource cache starts a new generation). */
    private final Runnable afterPass;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Set<String> dirtyMeshes = new LinkedHashSet<>();
    /** Whether the last context build found the store unavailable (so an outage is logged once, not per pass). */
    private final AtomicBoolean storeUnavailable = new AtomicBoolean();
    private final Set<Long> dirtyStreams = new LinkedHashSet<>();
    /** Whether the zone egress proxies need a look: a mesh or a ZoneEgress changed, or one connected. */
    private boolean zoneProxiesDirty;
    /** Per sidecar, the last Secret version it acknowledged and this thread has not looked at yet. */
    private final Map<ProxyKey, String> acknowledgedSecrets = new HashMap<>();
    /** Which sidecars accept mesh mTLS (PERMISSIVE meshes send mTLS only to services whose every one does). */
    private final TlsReadiness readiness;
    /** Regenerates the zone egress proxies, which serve every mesh with zone egress on. */
    private final ZoneEgressReconciler zoneEgresses;
    // Owned by the reconciler thread.
    private final Map<String, MeshContext> meshes = new HashMap<>();
    private final Map<Long, GeneratedFrom> generatedFrom = new HashMap<>();
    private int generations;
    private final Set<ProxyKey> disconnected = new java.util.HashSet<>();
    /** Per proxy, the certificate renewal a timer is set for. */
    private final Map<ProxyKey, Instant> renewals = new HashMap<>();

    /** Below this many proxies to generate, a pass does not split the work. */
    static final int PARALLEL_THRESHOLD = 64;

    /**
     * @param workers     runs the generation of large passes; {@code parallelism} tasks at a time keep it busy
     * @param parallelism how many threads {@code workers} has (1: every pass runs on the reconciler thread alone)
     * @param afterPass   runs on the reconciler thread after every pass that generated a configuration
     */
    Reconciler(MeshContextBuilder contexts, ProxyRegistry registry, ProxySnapshots snapshots,
               ProxyCertificates certificates, ScheduledExecutorService executor, ExecutorService workers,
               int parallelism, Runnable afterPass) {
        this.contexts = requireNonNull(contexts, "contexts");
        this.registry = requireNonNull(registry, "registry");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.certificates = requireNonNull(certificates, "certificates");
        this.executor = requireNonNull(executor, "executor");
        this.workers = requireNonNull(workers, "workers");
        if (parallelism < 1) {
            throw new IllegalArgumentException("invalid parallelism: " + parallelism + " (expected: at least 1)");
        }
        this.parallelism = parallelism;
        this.afterPass = requireNonNull(afterPass, "afterPass");
        this.readiness = new TlsReadiness();
        this.zoneEgresses = new ZoneEgressReconciler(contexts, snapshots, certificates, generatedFrom,
                this::scheduleRenewal, this::fail);
    }

    /** {@code context} with its TLS-ready services as they are now ({@link TlsReadiness#applyTo}). Any thread. */
    MeshContext withTlsReadiness(MeshContext context) {
        return readiness.applyTo(context);
    }

    /** The CA backend whose mesh mTLS the proxy accepts now; empty when it does not (yet). Any thread. */
    Optional<String> tlsReadyBackend(ProxyKey key) {
        return readiness.readyBackend(key);
    }

    /** Starts the periodic resync. */
    void startResync(Duration interval) {
        executor.scheduleWithFixedDelay(this::resync, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The store may have lost changes (its feed from other control planes was down): recompute every mesh, as the
     * periodic resync does, on the reconciler's thread. Called on a thread of the store.
     */
    void onStoreResync() {
        try {
            executor.execute(this::resync);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("not resyncing: the control plane is stopping");
        }
    }

    /** A committed write: its mesh's proxies may need new configuration. Called on the writer's thread. */
    void onChange(ResourceChange change) {
        ResourceKey key = change.key();
        if (key.type() == ResourceTypes.ZONE_EGRESS) {
            // where the sidecars of meshes with zone egress send their external traffic, and an egress's own config
            Set<String> all = registry.meshesWithProxies();
            synchronized (this) {
                dirtyMeshes.addAll(all);
                zoneProxiesDirty = true;
            }
            schedule();
            return;
        }
        String mesh = key.type() == ResourceTypes.MESH ? key.name() : key.mesh();
        if (mesh.isEmpty()) {
            return;
        }
        // A mesh's CA (a Mesh, or a Secret a CA reads) decides which other meshes trust it (a shared CA). The VIP
        // table, written by this reconciler's context builder (or another instance's), is no CA's.
        boolean trustMayChange = key.type() == ResourceTypes.MESH
                || key.type() == ResourceTypes.SECRET && !VipRecords.isRecord(key);
        Set<String> others = trustMayChange ? registry.meshesWithProxies() : Set.of();
        synchronized (this) {
            dirtyMeshes.add(mesh);
            dirtyMeshes.addAll(others);
            zoneProxiesDirty = true;
        }
        schedule();
    }

    /**
     * A new stream: generate its proxy's configuration (from the cached mesh context when there is one). Called on
     * the stream's thread before the cache sees its first request.
     *
     * <p>A proxy that comes back while no other stream of it is open (a restart within the deregistration delay)
     * finds the snapshot it was last served still in the cache, since only connected proxies are regenerated. The
     * cache would answer its first requests from that snapshot before this pass sets the current one; a change
     * made meanwhile that renamed resources then leaves the proxy asking for names that no longer exist, and
     * grpc-xds only gives those up after its initial fetch timeout (15 s), so its first calls fail. That snapshot
     * is dropped here, as Kuma does when a proxy's last stream closes: the first requests wait for this pass.
     *
     * @param alone whether no other stream of the proxy is open; when one is (an application and its certificate
     *              agent share a node id), the proxy's snapshot is kept current and stays
     */
    void onConnect(Subscription subscription, boolean alone) {
        String nodeId = subscription.key().nodeId();
        if (alone && snapshots.snapshot(nodeId).isPresent() && !snapshots.remove(nodeId)) {
            // Its previous stream is closing at this very moment; its watches go with it.
            log.debug("the last snapshot of {} is still watched; it may answer the new stream first",
                    subscription.key());
        }
        synchronized (this) {
            dirtyStreams.add(subscription.streamId());
        }
        schedule();
    }

    /**
     * A closed stream: forget its bookkeeping. The proxy's snapshot is dropped by the next resync if none of its
     * streams is open then (the cache refuses to drop it while the closing stream's watches are still registered).
     */
    void onDisconnect(Subscription subscription) {
        if (executor.isShutdown()) {
            return;
        }
        executor.execute(() -> {
            generatedFrom.remove(subscription.streamId());
            disconnected.add(subscription.key());
            if (!registry.isConnected(subscription.key()) && readiness.forget(subscription.key())) {
                readinessChanged(subscription.key().mesh());
            }
        });
    }

    /**
     * A proxy acknowledged a response: a bridge snapshot that waited for its listeners and routes is replaced by
     * its final one (see {@link ProxySnapshots}: clusters are dropped only after the routes that used them).
     */
    void onAcknowledged(Subscription subscription, EnvoyType type, String version) {
        if ((type == EnvoyType.LISTENER || type == EnvoyType.ROUTE_CONFIGURATION)
                && !subscription.key().isZoneProxy()) {
            snapshots.acknowledged(subscription.key().nodeId(), type, version);
        }
    }

    /**
     * A sidecar acknowledged Secret version {@code version} (its identity certificate and its mesh's CA): once it
     * carries an identity from the mesh's enabled backend, the sidecar's inbounds accept mesh mTLS. Called on the
     * stream's thread; looked at by the next pass.
     */
    void onSecretsAcknowledged(Subscription subscription, String version) {
        synchronized (this) {
            acknowledgedSecrets.put(subscription.key(), version);
        }
        schedule();
    }

    /** A proxy of {@code mesh} became ready or stopped being so: a PERMISSIVE mesh's callers may switch. */
    private void readinessChanged(String mesh) {
        MeshContext context = meshes.get(mesh);
        if (context != null && context.mtls().map(MeshMtls::permissive).orElse(false)) {
            synchronized (this) {
                dirtyMeshes.add(mesh);
            }
            schedule();
        }
    }

    private void resync() {
        disconnected.removeIf(key -> {
            if (registry.isConnected(key)) {
                return true;
            }
            if (!snapshots.remove(key.nodeId())) {
                return false;
            }
            readiness.forget(key);
            certificates.forget(key);
            renewals.remove(key);
            return true;
        });
        Set<String> meshesWithProxies = registry.meshesWithProxies();
        synchronized (this) {
            dirtyMeshes.addAll(meshesWithProxies);
        }
        meshes.keySet().retainAll(meshesWithProxies);
        pass();
    }

    /**
     * The context the proxies of {@code mesh} are generated from, once the passes scheduled so far have run (read
     * on the reconciler thread, after them); for tests.
     */
    Optional<MeshContext> contextAfterPasses(String mesh) throws InterruptedException,
            java.util.concurrent.ExecutionException {
        return executor.submit(() -> Optional.ofNullable(meshes.get(mesh))).get();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true) && !executor.isShutdown()) {
            try {
                executor.execute(() -> {
                    scheduled.set(false);
                    pass();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("not reconciling: the control plane is stopping");
            }
        }
    }

    private void pass() {
        Map<ProxyKey, String> acknowledged;
        synchronized (this) {
            acknowledged = new HashMap<>(acknowledgedSecrets);
            acknowledgedSecrets.clear();
        }
        acknowledged.forEach((key, version) -> {
            if (readiness.acknowledged(key, version)) {
                readinessChanged(key.mesh());
            }
        });
        Set<String> meshesNow;
        Set<Long> streamsNow;
        boolean zoneProxiesNow;
        synchronized (this) {
            meshesNow = new LinkedHashSet<>(dirtyMeshes);
            streamsNow = new LinkedHashSet<>(dirtyStreams);
            zoneProxiesNow = zoneProxiesDirty;
            dirtyMeshes.clear();
            dirtyStreams.clear();
            zoneProxiesDirty = false;
        }
        long started = System.nanoTime();
        generations = 0;
        // A new stream is always generated, even when an earlier pass generated it already from the same inputs:
        // onConnect may have dropped that snapshot since (a proxy back with its old one still cached).
        streamsNow.forEach(generatedFrom::remove);
        // A mesh whose cross-mesh gateway listeners changed also rebuilds the meshes that reach them, once each.
        java.util.Deque<String> toRebuild = new java.util.ArrayDeque<>(meshesNow);
        Set<String> rebuilt = new LinkedHashSet<>();
        while (!toRebuild.isEmpty()) {
            String mesh = toRebuild.poll();
            if (rebuilt.add(mesh)) {
                toRebuild.addAll(rebuild(mesh));
            }
        }
        meshesNow.addAll(rebuilt);
        for (Long streamId : streamsNow) {
            registry.byStream(streamId).ifPresent(subscription -> {
                if (subscription.key().isZoneProxy()) {
                    return; // below
                }
                if (!meshesNow.contains(subscription.key().mesh())) {
                    Optional<MeshContext> context = Optional.ofNullable(meshes.get(subscription.key().mesh()))
                            .or(() -> build(subscription.key().mesh()));
                    context.ifPresent(c -> generate(subscription, c));
                }
            });
        }
        boolean zoneStreams = streamsNow.stream().map(registry::byStream)
                .anyMatch(found -> found.map(sub -> sub.key().isZoneProxy()).orElse(false));
        if (zoneProxiesNow || zoneStreams || !meshesNow.isEmpty()) {
            zoneEgresses.reconcile(registry.zoneProxies(), meshes, this::build);
        }
        if (!meshesNow.isEmpty() || !streamsNow.isEmpty()) {
            certificates.expectIssuing(proxiesOfMeshesWithCa());
        }
        if (generations > 0) {
            afterPass.run();
        }
        if (log.isDebugEnabled() && (!meshesNow.isEmpty() || !streamsNow.isEmpty())) {
            log.debug("reconciled meshes {} and {} new streams: {} proxies generated in {} ms", meshesNow,
                    streamsNow.size(), generations, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * The connected proxies of the meshes that have a CA backend, whether mTLS is on or not yet: the certificates
     * that may be issued soon (turning mTLS on, or renewing those issued together), whose keys are generated ahead.
     */
    private int proxiesOfMeshesWithCa() {
        int proxies = 0;
        for (MeshContext context : meshes.values()) {
            io.ursa.api.mesh.Mtls mtls = context.mesh().spec().mtls();
            if (mtls != null && !mtls.backends().isEmpty()) {
                proxies += (int) registry.connectedIn(context.name()).stream().map(Subscription::key).distinct()
                        .count();
            }
        }
        return proxies;
    }

    /**
     * Rebuilds mesh {@code mesh} and regenerates its proxies; returns the other meshes to rebuild because of it
     * ({@link CrossMeshRebuilds}).
     */
    private Set<String> rebuild(String mesh) {
        Optional<MeshContext> before = Optional.ofNullable(meshes.get(mesh));
        Optional<MeshContext> context = build(mesh);
        if (context.isEmpty()) {
            meshes.remove(mesh);
        } else if (before.isPresent() && before.get().hash().equals(context.get().hash())) {
            // The same content (a write that changed nothing the proxies get, or the VIP table this builder
            // stored): the context the proxies were generated from stays, with everything they computed in it.
            meshes.put(mesh, before.get());
            generateAll(registry.connectedIn(mesh), before.get());
        } else {
            MeshContext after = context.get();
            before.ifPresent(b -> after.shared().follow(b.shared()));
            Optional<NarrowChange> narrow = before.flatMap(b -> NarrowChange.between(b, after));
            // What the change leaves as it was is carried into the new context instead of generated again.
            int carried = narrow.map(n -> n.carry(before.get(), after)).orElse(0);
            generateAll(needingGeneration(registry.connectedIn(mesh), before, after, narrow, carried), after);
        }
        return CrossMeshRebuilds.after(mesh, before, context, registry.meshesWithProxies(), meshes);
    }

    /**
     * The proxies of {@code subscriptions} a mesh's new context may change. After a {@link NarrowChange} (only some
     * Dataplanes changed) a proxy it cannot change keeps its configuration, and is recorded as generated from the
     * new context, without generating it: it is exactly what the new context would give. Every other proxy, and
     * every proxy after any other change, is returned.
     */
    private List<Subscription> needingGeneration(List<Subscription> subscriptions, Optional<MeshContext> before,
                                                 MeshContext after, Optional<NarrowChange> narrow, int carried) {
        if (narrow.isEmpty()) {
            return subscriptions;
        }
        String oldHash = before.get().hash();
        List<Subscription> needed = new ArrayList<>();
        int kept = 0;
        for (Subscription subscription : subscriptions) {
            GeneratedFrom generated = generatedFrom.get(subscription.streamId());
            Optional<Resource<DataplaneSpec>> dataplane = after.dataplane(subscription.key().name());
            if (generated != null && generated.context().equals(oldHash) && dataplane.isPresent()
                    && !narrow.get().mayChange(dataplane.get(), subscription.metadata())) {
                generatedFrom.put(subscription.streamId(), generated.in(after.hash()));
                kept++;
            } else {
                needed.add(subscription);
            }
        }
        if (log.isDebugEnabled()) {
            log.debug("mesh {}: endpoints or destination policies of {} changed; {} proxies regenerated, {} keep"
                    + " their configuration, {} shared values carried",
                    after.name(), narrow.get().changedServices(), needed.size(), kept, carried);
        }
        return needed;
    }

    private Optional<MeshContext> build(String mesh) {
        try {
            Optional<MeshContext> context = contexts.build(mesh).map(readiness::applyTo);
            context.ifPresentOrElse(c -> meshes.put(mesh, c), () -> meshes.remove(mesh));
            if (storeUnavailable.compareAndSet(true, false)) {
                log.info("the store answers again; meshes are reconciled from it");
            }
            return context;
        } catch (StoreUnavailableException e) {
            // An outage, not a bug: one line when it starts, none per retry; proxies keep what they were served.
            if (storeUnavailable.compareAndSet(false, true)) {
                log.warn("cannot read mesh {} from the store: {}; every proxy keeps its configuration, and meshes"
                        + " are reconciled again when the store answers", mesh, e.getMessage());
            }
            synchronized (this) {
                dirtyMeshes.add(mesh);
            }
            return Optional.empty();
        } catch (MeshContextBuilder.MeshChangingException e) {
            // Another instance kept storing the mesh's VIP table; its writes have scheduled another pass.
            log.debug("the VIP table of mesh {} is being written to; its context is built again on the next pass",
                    mesh);
            synchronized (this) {
                dirtyMeshes.add(mesh);
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            log.error("cannot build the context of mesh {}; its proxies keep their configuration", mesh, e);
            synchronized (this) {
                dirtyMeshes.add(mesh); // retried on the next pass or resync
            }
            return Optional.empty();
        }
    }

    private void generate(Subscription subscription, MeshContext mesh) {
        generateAll(java.util.List.of(subscription), mesh);
    }

    /**
     * Regenerates the proxies of {@code subscriptions}: what touches the reconciler's state (identities, the inputs
     * each stream was generated from, failures) runs on this thread; generating and pushing, which only read the
     * shared mesh context, run on the generation workers when there are enough proxies to split.
     */
    private void generateAll(List<Subscription> subscriptions, MeshContext mesh) {
        issueInParallel(subscriptions, mesh);
        List<Job> jobs = new ArrayList<>();
        for (Subscription subscription : subscriptions) {
            prepare(subscription, mesh).ifPresent(jobs::add);
        }
        generations += jobs.size();
        if (jobs.size() < PARALLEL_THRESHOLD || parallelism < 2) {
            jobs.forEach(Job::run);
        } else {
            int chunk = Math.max(1, jobs.size() / (parallelism * 4));
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int from = 0; from < jobs.size(); from += chunk) {
                List<Job> part = jobs.subList(from, Math.min(jobs.size(), from + chunk));
                tasks.add(() -> {
                    part.forEach(Job::run);
                    return null;
                });
            }
            try {
                workers.invokeAll(tasks);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // stopping: nothing is recorded, so a later pass would do it all again
            }
        }
        jobs.forEach(this::finish);
    }

    /**
     * When a pass has many proxies of a mesh with mTLS on, their identity certificates are issued (or found still
     * good) on the workers first, one task per proxy, so that turning mTLS on for a large mesh is not bounded by
     * one core's signing rate; {@link #prepare} then finds them. Failures are left for {@link #prepare} to report.
     */
    private void issueInParallel(List<Subscription> subscriptions, MeshContext mesh) {
        Optional<io.ursa.ca.MeshCa> ca = mesh.mtls().flatMap(MeshMtls::ca);
        if (ca.isEmpty() || subscriptions.size() < PARALLEL_THRESHOLD || parallelism < 2) {
            return;
        }
        // One task per proxy: an application and its certificate agent share one certificate.
        Map<ProxyKey, ProxyContext> proxies = new java.util.LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            mesh.proxy(subscription.key().name()).ifPresent(p -> proxies.putIfAbsent(subscription.key(), p));
        }
        List<Map.Entry<ProxyKey, ProxyContext>> all = new ArrayList<>(proxies.entrySet());
        int chunk = Math.max(1, all.size() / (parallelism * 4));
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += chunk) {
            List<Map.Entry<ProxyKey, ProxyContext>> part = all.subList(from, Math.min(all.size(), from + chunk));
            tasks.add(() -> {
                for (Map.Entry<ProxyKey, ProxyContext> entry : part) {
                    try {
                        certificates.identity(entry.getKey(), ca.get(), entry.getValue().spec());
                    } catch (RuntimeException e) {
                        // reported by prepare(), which asks again on the reconciler thread
                    }
                }
                return null;
            });
        }
        try {
            workers.invokeAll(tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The proxy's generation, or empty when it fails before (recorded) or its inputs did not change. */
    private Optional<Job> prepare(Subscription subscription, MeshContext mesh) {
        ProxyKey key = subscription.key();
        Optional<ProxyContext> found = mesh.proxy(key.name()).map(p -> p.withMetadata(subscription.metadata()));
        if (found.isEmpty()) {
            fail(subscription, "its Dataplane is not in mesh " + key.mesh() + " any more", null);
            return Optional.empty();
        }
        ProxyContext proxy = found.get();
        String identityVersion = "";
        String identityBackend = "";
        if (mesh.mtls().isPresent()) {
            MeshMtls mtls = mesh.mtls().get();
            if (mtls.ca().isEmpty()) {
                fail(subscription, "mTLS is on in mesh " + key.mesh() + " but its CA cannot be used: "
                        + mtls.unavailable(), null);
                return Optional.empty();
            }
            ProxyCertificates.Issued issued;
            try {
                issued = certificates.identity(key, mtls.ca().get(), proxy.spec());
            } catch (IllegalArgumentException e) {
                fail(subscription, "cannot issue its identity certificate: " + e.getMessage(), null);
                return Optional.empty();
            } catch (RuntimeException e) {
                fail(subscription, "cannot issue its identity certificate: " + e.getMessage(), e);
                return Optional.empty();
            }
            proxy = proxy.withIdentity(issued.identity());
            identityVersion = issued.version();
            identityBackend = mtls.backend();
            scheduleRenewal(key, issued.renewAt());
        }
        GeneratedFrom inputs = new GeneratedFrom(mesh.hash(), subscription.metadata(), identityVersion);
        if (inputs.equals(generatedFrom.get(subscription.streamId()))) {
            return Optional.empty();
        }
        return Optional.of(new Job(subscription, proxy, inputs, identityBackend, snapshots));
    }

    /** Records a job's outcome on the reconciler thread. */
    private void finish(Job job) {
        Subscription subscription = job.subscription;
        if (job.failure != null) {
            // A ProxyTemplate that cannot be applied is the user's to fix: a warning without a stack trace.
            fail(subscription, String.valueOf(job.failure.getMessage()),
                    job.failure instanceof ProxyTemplateException ? null : job.failure);
            return;
        }
        if (job.resources == null) {
            return; // not run: the pass was interrupted
        }
        generatedFrom.put(subscription.streamId(), job.inputs);
        if (!job.identityBackend.isEmpty() && subscription.metadata().kind() == ProxyKind.ENVOY) {
            snapshots.snapshot(subscription.key().nodeId()).ifPresent(snapshot -> readiness.sent(subscription.key(),
                    snapshot.version(Resources.ResourceType.SECRET), job.identityBackend));
        }
        if (subscription.generated().isPresent()) {
            log.info("configuration of {} generated again after an earlier failure", subscription.key());
        }
        if (job.pushed) {
            log.debug("new configuration for {} ({} resources)", subscription.key(), job.resources.size());
        }
    }

    /** Generating and pushing one proxy's configuration: reads only the proxy and its shared mesh context. */
    private static final class Job {
        final Subscription subscription;
        final ProxyContext proxy;
        final GeneratedFrom inputs;
        /** The CA backend of the identity the proxy is given; empty with mTLS off. */
        final String identityBackend;
        final ProxySnapshots snapshots;
        // Written by the worker that runs the job; read by the reconciler after invokeAll (a happens-before edge).
        ResourceSet resources;
        boolean pushed;
        RuntimeException failure;

        Job(Subscription subscription, ProxyContext proxy, GeneratedFrom inputs, String identityBackend,
            ProxySnapshots snapshots) {
            this.subscription = subscription;
            this.proxy = proxy;
            this.inputs = inputs;
            this.identityBackend = identityBackend;
            this.snapshots = snapshots;
        }

        void run() {
            try {
                Optional<Resource<ProxyTemplateSpec>> template = ProxyTemplates.select(proxy);
                ResourceSet generated = ProxyTemplates.generate(proxy, template);
                try {
                    pushed = snapshots.update(proxy, generated);
                } catch (InconsistentSnapshotException e) {
                    if (template.isEmpty()) {
                        throw e;
                    }
                    throw new ProxyTemplateException(template.get().name(), e.getMessage(), e);
                }
                resources = generated;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }

    /** Sets a timer that regenerates the proxy's streams when its certificate is due for renewal. */
    private void scheduleRenewal(ProxyKey key, Instant renewAt) {
        if (renewAt.equals(renewals.get(key)) || executor.isShutdown()) {
            return;
        }
        renewals.put(key, renewAt);
        long delay = Math.max(0, Duration.between(certificates.now(), renewAt).toMillis()) + 1;
        try {
            executor.schedule(() -> renewalDue(key, renewAt), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("not renewing the certificate of {}: the control plane is stopping", key);
        }
    }

    private void renewalDue(ProxyKey key, Instant renewAt) {
        if (!renewAt.equals(renewals.get(key))) {
            return; // superseded by a newer certificate, or the proxy left
        }
        renewals.remove(key);
        synchronized (this) {
            registry.streamsOf(key).forEach(dirtyStreams::add);
        }
        pass();
    }

    private void fail(Subscription subscription, String reason, Throwable cause) {
        Optional<String> previous = subscription.generationFailed(reason);
        if (!previous.equals(Optional.of(reason))) {
            if (cause != null) {
                log.error("cannot generate the configuration of {}; it keeps its last one: {}", subscription.key(),
                        reason, cause);
            } else {
                log.warn("cannot generate the configuration of {}; it keeps its last one: {}", subscription.key(),
                        reason);
            }
        }
    }
}
