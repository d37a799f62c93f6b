package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import io.ursa.core.store.StoreUnavailableException;
import io.ursa.xds.resources.EnvoyType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * While the store cannot be reached, every connected proxy keeps the configuration it was served, the outage is
 * one WARN line (not an error with a stack trace per pass), and once the store answers again changes flow as before.
 */
class StoreOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String LDS = EnvoyType.LISTENER.typeUrl();

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final OutageStore store = new OutageStore(new MemoryResourceStore());
    private final ResourceManager manager = ResourceManager.create(store, Clock.systemUTC(), List.of());
    private final List<AdsTestClient> clients = new ArrayList<>();
    private XdsServer server;

    @AfterEach
    void stop() {
        clients.forEach(AdsTestClient::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void proxiesKeepTheirConfigurationWhileTheStoreIsDownAndGetChangesWhenItIsBack() throws Exception {
        apply("type: Mesh\nname: default");
        // a short resync, so that several passes run against the unavailable store
        server = XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(TestTls.transport(),
                Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(300)), ProxyAuthenticator.none(),
                TestCluster.alone("cp-1"), new MemoryProxyConnections(Clock.systemUTC()), Clock.systemUTC());
        AdsTestClient proxy = connect("default.web-1", dataplane(8080));
        proxy.subscribe(LDS, List.of());
        DiscoveryResponse served = proxy.next(LDS, WAIT);
        assertThat(names(served)).contains("inbound:10.0.0.1:8080");
        proxy.ack(served, List.of());

        ListAppender<ILoggingEvent> logs = capture();
        try {
            store.down.set(true);
            int failedBefore = store.refused.get();
            await().atMost(WAIT).until(() -> store.refused.get() >= failedBefore + 3);
            assertThat(server.insightOf("default", "web-1")).as("the proxy is still connected and served")
                    .hasValueSatisfying(i -> assertThat(i.at("/subscriptions/0/disconnectTime").isMissingNode())
                            .isTrue());
        } finally {
            store.down.set(false);
        }

        apply(dataplane(8081));
        DiscoveryResponse changed = proxy.next(LDS, WAIT);
        assertThat(names(changed)).contains("inbound:10.0.0.1:8081").doesNotContain("inbound:10.0.0.1:8080");
        detach(logs);

        List<ILoggingEvent> reconciler = logs.list.stream()
                .filter(e -> e.getLoggerName().equals(Reconciler.class.getName())).toList();
        assertThat(reconciler).as("the outage is not logged as a bug").noneMatch(e -> e.getLevel() == Level.ERROR
                || e.getThrowableProxy() != null);
        assertThat(reconciler).filteredOn(e -> e.getLevel() == Level.WARN).as("one WARN for the whole outage")
                .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains("cannot read mesh default from the store")
                        .contains("PostgreSQL test at db.example:5432")
                        .contains("every proxy keeps its configuration"));
        assertThat(reconciler).anyMatch(e -> e.getLevel() == Level.INFO
                && e.getFormattedMessage().contains("the store answers again"));
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
        return logs;
    }

    private static void detach(ListAppender<ILoggingEvent> logs) {
        root().detachAppender(logs);
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private AdsTestClient connect(String nodeId, String definition) {
        AdsTestClient client = new AdsTestClient(TestTls.channel(server.port(), TestTls.MATERIAL.caCertificatePem()),
                nodeId, Map.of(AdsCallbacks.DATAPLANE_RESOURCE, definition), Optional.empty());
        clients.add(client);
        return client;
    }

    private void apply(String text) {
        Resource<?> resource = codec.decode(text.trim().startsWith("{") ? codec.parseJson(text)
                : codec.parseYamlDocuments(text).get(0));
        upsert(resource);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void upsert(Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    private static String dataplane(int port) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"web-1\",\"networking\":"
                + "{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":" + port + ",\"tags\":{\"kuma.io/service\":"
                + "\"web\",\"kuma.io/protocol\":\"http\"}}]}}";
    }

    private static List<String> names(DiscoveryResponse response) throws Exception {
        List<String> names = new ArrayList<>();
        for (var any : response.getResourcesList()) {
            names.add(any.unpack(Listener.class).getName());
        }
        return names;
    }

    /** A store that, while {@code down}, fails every call as a database store does when its server is gone. */
    private static final class OutageStore implements ResourceStore {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        private final ResourceStore delegate;

        OutageStore(ResourceStore delegate) {
            this.delegate = delegate;
        }

        private void check(String operation) {
            if (down.get()) {
                refused.incrementAndGet();
                throw new StoreUnavailableException("could not " + operation + " in PostgreSQL test at "
                        + "db.example:5432: Connection refused", null);
            }
        }

        @Override
        public <S extends Spec> Resource<S> create(Resource<S> resource) {
            check("create " + resource.key());
            return delegate.create(resource);
        }

        @Override
        public <S extends Spec> Resource<S> update(Resource<S> resource) {
            check("update " + resource.key());
            return delegate.update(resource);
        }

        @Override
        public void delete(ResourceKey key) {
            check("delete " + key);
            delegate.delete(key);
        }

        @Override
        public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
            check("get " + type.name());
            return delegate.get(type, mesh, name);
        }

        @Override
        public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
            check("list " + type.name());
            return delegate.list(type, query);
        }

        @Override
        public long count(ResourceType<?> type, String mesh) {
            check("count " + type.name());
            return delegate.count(type, mesh);
        }

        @Override
        public <T> T snapshot(Function<ResourceReader, T> reads) {
            check("read");
            return delegate.snapshot(reads);
        }

        @Override
        public AutoCloseable subscribe(ChangeListener listener) {
            return delegate.subscribe(listener);
        }

        @Override
        public String describe() {
            return "outage-prone " + delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
