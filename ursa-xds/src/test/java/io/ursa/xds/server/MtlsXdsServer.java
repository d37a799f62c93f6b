package io.ursa.xds.server;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.CaPlugins;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real {@link XdsServer} over a memory store with the standard CA plugins, and the ADS test clients connected to
 * it, for the tests of what meshes with mTLS send their proxies. The resync is an hour, longer than any test: what a
 * proxy is sent comes from a change, its connection or a renewal timer.
 */
final class MtlsXdsServer implements AutoCloseable {
    private static final Duration RESYNC = Duration.ofHours(1);

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final List<AdsTestClient> clients = new CopyOnWriteArrayList<>();
    private final ResourceManager manager;
    private final XdsServer server;

    private MtlsXdsServer(ResourceManager manager, XdsServer server) {
        this.manager = manager;
        this.server = server;
    }

    static MtlsXdsServer start() throws Exception {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(),
                CaPlugins.standard());
        return new MtlsXdsServer(manager, XdsServer.start(manager, ResourceTypes.standard(),
                TestTls.config(TestTls.transport(), Duration.ofMillis(200), RESYNC, Duration.ofMillis(300)),
                ProxyAuthenticator.none(), TestCluster.alone("cp-1"), new MemoryProxyConnections(Clock.systemUTC()),
                Clock.systemUTC()));
    }

    ResourceManager manager() {
        return manager;
    }

    XdsServer server() {
        return server;
    }

    /** A proxy registering the Dataplane {@code definition} (Universal JSON), with more node {@code metadata}. */
    AdsTestClient connect(String nodeId, String definition, Map<String, String> metadata) {
        Map<String, String> all = new HashMap<>(metadata);
        all.put(AdsCallbacks.DATAPLANE_RESOURCE, definition);
        AdsTestClient client = new AdsTestClient(TestTls.channel(server.port(), TestTls.MATERIAL.caCertificatePem()),
                nodeId, all, Optional.empty());
        clients.add(client);
        return client;
    }

    /** Creates or updates the resource of a Universal YAML text. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void apply(String text) {
        Resource resource = codec.decode(codec.parseYamlDocuments(text).get(0));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    @Override
    public void close() {
        clients.forEach(AdsTestClient::close);
        server.close();
    }
}
