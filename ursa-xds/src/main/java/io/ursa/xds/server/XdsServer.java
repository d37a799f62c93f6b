package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.ca.ProxyKeyGenerator;
import io.ursa.ca.ProxyKeyPool;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.core.cluster.ProxyConnections.ProxyConnection;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.manager.ResourceManager;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.gateway.GatewayInspection;
import io.ursa.xds.inspect.PolicyMatches;
import io.ursa.xds.snapshot.ProxySnapshots;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS side of the control plane, wired: the DP server (ADS and {@code /bootstrap}), the Dataplane lifecycle,
 * the reconciler that turns store changes into snapshots, and what the API shows about proxies (insights, the
 * configuration served, the policies that match a Dataplane). Closing stops the server, then the reconciler.
 */
public final class XdsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

    private final DpServer dpServer;
    private final ProxyRegistry registry;
    private final ProxySnapshots snapshots;
    private final ProxyCertificates certificates;
    private final DataplaneLifecycle lifecycle;
    private final ScheduledExecutorService reconcilerThread;
    private final ScheduledExecutorService timerThread;
    private final ExecutorService generators;
    private final AutoCloseable subscription;
    private final MeshContextBuilder contexts;
    private final ResourceCodec codec;
    private final Reconciler reconciler;
    private final Cluster cluster;
    private final ProxyConnections connections;
    private final ProxyKeyPool proxyKeys;

    private XdsServer(DpServer dpServer, ProxyRegistry registry, ProxySnapshots snapshots,
                      ProxyCertificates certificates, DataplaneLifecycle lifecycle,
                      ScheduledExecutorService reconcilerThread,
                      ScheduledExecutorService timerThread, ExecutorService generators,
                      AutoCloseable subscription, MeshContextBuilder contexts, ResourceCodec codec,
                      Reconciler reconciler, Cluster cluster, ProxyConnections connections, ProxyKeyPool proxyKeys) {
        this.dpServer = dpServer;
        this.proxyKeys = proxyKeys;
        this.cluster = cluster;
        this.connections = connections;
        this.reconciler = reconciler;
        this.contexts = contexts;
        this.codec = codec;
        this.registry = registry;
        this.snapshots = snapshots;
        this.certificates = certificates;
        this.lifecycle = lifecycle;
        this.reconcilerThread = reconcilerThread;
        this.timerThread = timerThread;
        this.generators = generators;
        this.subscription = subscription;
    }

    /**
     * Starts serving proxies.
     *
     * @param authenticator checks each proxy's token; must be {@link ProxyAuthenticator#none()} exactly when
     *                      {@code config.auth()} is {@code NONE}
     * @param cluster       this instance (its id goes into the proxies' insights) and whether it leads: the leader
     *                      removes the resources that proxies registered once they have been gone for the
     *                      deregistration delay, whichever instance they were connected to
     * @param connections   the cluster's shared record of which instance each proxy is connected to
     * @throws IOException when the port cannot be bound
     */
    public static XdsServer start(ResourceManager manager, ResourceTypes types, XdsServerConfig config,
                                  ProxyAuthenticator authenticator, Cluster cluster, ProxyConnections connections,
                                  Clock clock)
            throws IOException {
        requireNonNull(manager, "manager");
        requireNonNull(types, "types");
        requireNonNull(config, "config");
        requireNonNull(authenticator, "authenticator");
        requireNonNull(cluster, "cluster");
        requireNonNull(connections, "connections");
        requireNonNull(clock, "clock");
        String instanceId = cluster.instanceId();
        ScheduledExecutorService reconcilerThread = singleThread("xds-reconciler");
        // Delayed work: the leader's sweep for proxies that left (Dataplane deregistrations) and the answers to NACKs
        // after the back-off.
        ScheduledExecutorService timerThread = singleThread("xds-timers");
        ProxyRegistry registry = new ProxyRegistry();
        ProxySnapshots snapshots = new ProxySnapshots();
        // Only the reconciler's builder stores VIP tables: the one writer, once per mesh change.
        MeshContextBuilder contexts = new MeshContextBuilder(manager.store(), types,
                MeshContextBuilder.VipWrites.STORE);
        SecureRandom random = new SecureRandom();
        // Keys for the proxies' certificates, generated ahead for the meshes with a CA (Reconciler#expectIssuing).
        ProxyKeyPool proxyKeys = ProxyKeyPool.create(config.certificateKeyType(), new ProxyKeyGenerator(random));
        ProxyCertificates certificates = new ProxyCertificates(new DataplaneCertificateIssuer(clock, random),
                proxyKeys, clock);
        int parallelism = config.generationThreads();
        ExecutorService generators = Executors.newFixedThreadPool(parallelism, daemonThreads("xds-generator-"));
        SharedSerializer serializer = new SharedSerializer();
        Reconciler reconciler = new Reconciler(contexts, registry, snapshots, certificates, reconcilerThread,
                generators, parallelism, serializer::rotate);
        AutoCloseable subscription = manager.store().subscribe(
                ChangeListener.of(reconciler::onChange, reconciler::onStoreResync));
        reconciler.startResync(config.resyncInterval());
        ResourceCodec codec = new ResourceCodec(types);
        DataplaneLifecycle lifecycle = new DataplaneLifecycle(manager, codec, config.deregistrationDelay(),
                connections, cluster, registry::isConnected, clock);
        AdsCallbacks callbacks = new AdsCallbacks(registry, lifecycle, authenticator, reconciler, instanceId, clock);
        V3DiscoveryServer ads = new V3DiscoveryServer(List.of(callbacks),
                new ServingWatcher(snapshots.cache(), config.nackBackoff(), timerThread), new DefaultExecutorGroup(),
                serializer);
        DpServer dpServer;
        try {
            // The port is known only after binding; bootstraps name it, so the endpoint reads it when asked.
            AtomicInteger boundPort = new AtomicInteger();
            BootstrapEndpoint bootstrap = new BootstrapEndpoint(manager, codec, lifecycle, config.xdsHost(),
                    boundPort::get, config.auth(), config.defaultAdminPort(), config.adsProtocol(),
                    config.transport());
            dpServer = DpServer.start(config.dpServerSettings(), List.of(ads.getAggregatedDiscoveryServiceImpl()),
                    List.of(new NodeOnEveryRequest(), new AuthorizationHeader()), bootstrap);
            boundPort.set(dpServer.port());
            long sweepMillis = DataplaneLifecycle.sweepPeriod(config.deregistrationDelay()).toMillis();
            timerThread.scheduleWithFixedDelay(lifecycle::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            closeQuietly(subscription);
            reconcilerThread.shutdownNow();
            timerThread.shutdownNow();
            generators.shutdownNow();
            proxyKeys.close();
            throw e;
        }
        log.info("xDS: proxies authenticate with {}, resync every {}, Dataplanes deregistered {} after their"
                + " proxy leaves (by the leader, which looks every {}), NACKs answered after {}", config.auth(),
                config.resyncInterval(), config.deregistrationDelay(),
                DataplaneLifecycle.sweepPeriod(config.deregistrationDelay()), config.nackBackoff());
        return new XdsServer(dpServer, registry, snapshots, certificates, lifecycle, reconcilerThread, timerThread,
                generators, subscription, new MeshContextBuilder(manager.store(), types), codec, reconciler,
                cluster, connections, proxyKeys);
    }

    /** The DP server's port. */
    public int port() {
        return dpServer.port();
    }

    /** The keys for proxy certificates generated ahead: ready, wanted, and handed out. */
    public ProxyKeyPool.Stats proxyKeys() {
        return proxyKeys.stats();
    }

    /** How many ADS streams are open. */
    public int connectedProxies() {
        return registry.openStreams();
    }

    /**
     * The Dataplane's (or, with mesh {@code ""}, the ZoneEgress's) insight in Kuma's JSON ({@code subscriptions}):
     * its streams on this instance and, when it is connected to another live instance of the cluster now, last a
     * subscription of that instance ({@link InsightJson#connectedElsewhere}); empty when it is connected nowhere
     * and never connected to this instance.
     */
    public Optional<JsonNode> insightOf(String mesh, String name) {
        ProxyKey key = new ProxyKey(mesh, name);
        List<Subscription.View> subscriptions = registry.subscriptions(key);
        boolean connectedHere = subscriptions.stream().anyMatch(s -> s.disconnectTime().isEmpty());
        Optional<ProxyConnection> elsewhere = connectedHere ? Optional.empty() : connectedElsewhere(key);
        if (elsewhere.isPresent()) {
            // The certificate and the TLS readiness are the serving instance's to tell; what this one has is old.
            return Optional.of(InsightJson.connectedElsewhere(InsightJson.of(subscriptions), elsewhere.get()));
        }
        return subscriptions.isEmpty() ? Optional.empty()
                : Optional.of(InsightJson.of(subscriptions, certificates.status(key),
                        reconciler.tlsReadyBackend(key)));
    }

    /** The proxy's connection to another instance that is alive, as the shared record has it. */
    private Optional<ProxyConnection> connectedElsewhere(ProxyKey key) {
        try {
            return connections.get(DataplaneLifecycle.resourceKey(key))
                    .filter(ProxyConnection::isConnected)
                    .filter(c -> !c.instanceId().equals(cluster.instanceId()))
                    .filter(c -> cluster.instances().stream().anyMatch(i -> i.id().equals(c.instanceId())));
        } catch (RuntimeException e) {
            log.debug("cannot read where proxy {} is connected: {}", key, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The configuration currently served to the proxy of Dataplane {@code mesh/name} ({@link ServedConfigJson}:
     * per type its version and its resources as proto JSON, private keys redacted); empty when the proxy is not
     * connected, or is but has not been served a configuration yet.
     */
    public Optional<JsonNode> servedConfig(String mesh, String name) {
        ProxyKey key = new ProxyKey(mesh, name);
        return snapshots.snapshot(key.nodeId()).map(snapshot -> ServedConfigJson.of(key.nodeId(), snapshot));
    }

    /**
     * The policies that match Dataplane {@code mesh/name}, per attachment point, in the JSON of Kuma's
     * {@code GET /meshes/{mesh}/dataplanes/{name}/policies} ({@link PolicyMatches}); computed from the store, so
     * also for a Dataplane whose proxy is not connected. Empty when there is no such mesh or Dataplane.
     *
     * @throws IllegalStateException when the mesh kept changing while it was read
     */
    public Optional<JsonNode> matchedPolicies(String mesh, String name) {
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        return contexts.build(mesh).map(reconciler::withTlsReadiness).flatMap(context -> context.proxy(name))
                .map(proxy -> PolicyMatches.json(proxy, codec));
    }

    /**
     * {@link #matchedPolicies(String, String)} of each of the Dataplanes {@code names} of {@code mesh}, by name, in
     * the order of {@code names}, all read from one state of the mesh; a name with no Dataplane is left out, and so
     * is every name when there is no such mesh.
     *
     * @throws IllegalStateException when the mesh kept changing while it was read
     */
    public Map<String, JsonNode> matchedPolicies(String mesh, Collection<String> names) {
        requireNonNull(mesh, "mesh");
        requireNonNull(names, "names");
        Map<String, JsonNode> matched = new LinkedHashMap<>();
        contexts.build(mesh).map(reconciler::withTlsReadiness).ifPresent(context -> {
            for (String name : names) {
                context.proxy(name).ifPresent(proxy -> matched.put(name, PolicyMatches.json(proxy, codec)));
            }
        });
        return matched;
    }

    /**
     * The builtin gateway Dataplanes MeshGateway {@code mesh/name} is selected for, in Kuma's JSON
     * ({@link GatewayInspection#gatewayDataplanes}); empty when there is no such mesh or MeshGateway.
     */
    public Optional<JsonNode> gatewayDataplanes(String mesh, String name) {
        requireNonNull(name, "name");
        return contexts.build(requireNonNull(mesh, "mesh")).filter(c -> GatewayInspection.hasGateway(c, name))
                .map(c -> GatewayInspection.gatewayDataplanes(c, name));
    }

    /**
     * The builtin gateway Dataplanes that route by MeshGatewayRoute {@code mesh/name}, in Kuma's JSON
     * ({@link GatewayInspection#routeDataplanes}); empty when there is no such mesh or MeshGatewayRoute.
     */
    public Optional<JsonNode> gatewayRouteDataplanes(String mesh, String name) {
        requireNonNull(name, "name");
        return contexts.build(requireNonNull(mesh, "mesh")).filter(c -> GatewayInspection.hasRoute(c, name))
                .map(c -> GatewayInspection.routeDataplanes(c, name));
    }

    /**
     * Whether Dataplane {@code mesh/name}, which its proxy registered, is due to be deleted because the proxy left
     * ({@link DataplaneLifecycle#deregistrationPending}). Package-private for tests.
     */
    boolean deregistrationPending(String mesh, String name) {
        return lifecycle.deregistrationPending(new ProxyKey(mesh, name));
    }

    /** The reconciler, for tests of this package. */
    Reconciler reconciler() {
        return reconciler;
    }

    @Override
    public void close() {
        dpServer.close();
        closeQuietly(subscription);
        reconcilerThread.shutdownNow();
        timerThread.shutdownNow();
        generators.shutdownNow();
        proxyKeys.close();
        try {
            reconcilerThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads named {@code prefix} and a number. */
    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static ScheduledExecutorService singleThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("cannot close {}", closeable, e);
        }
    }
}
