package io.ursa.xds.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.ca.CaPlugins;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import io.ursa.store.jdbc.EmbeddedResourceStore;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mesh context is made of one committed state of the store: it is read in one snapshot of the real embedded
 * (SQLite) store, whose writers go on committing while the context is read, as the PostgreSQL store's do.
 */
class MeshContextSnapshotTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    @TempDir
    Path dir;
    private ResourceStore embedded;
    private WatchedStore store;

    @BeforeEach
    void open() {
        embedded = EmbeddedResourceStore.open(dir, ResourceTypes.standard(), Clock.systemUTC());
        store = new WatchedStore(embedded);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /**
     * A writer adds a Dataplane and its TrafficPermission (two commits) every time the builder has listed the
     * mesh's Dataplanes, before it lists the policies. Read store call by store call, as the builder used to,
     * every read would see one TrafficPermission more than Dataplanes: no two reads would agree (the old builder
     * gave up with {@code MeshChangingException}), and any one read would pair n Dataplanes with n + 1
     * TrafficPermissions. Read in one snapshot, each context is the state its build started from.
     */
    @Test
    void aContextIsTheStateItsBuildStartedFromWhileAWriterCommitsBetweenItsReads() throws Exception {
        embedded.create(XdsFixtures.parse("type: Mesh\nname: default").get(0));
        int pairs = 3;
        IntStream.range(0, pairs).forEach(this::createPair);
        AtomicInteger next = new AtomicInteger(pairs);
        store.afterDataplanesListed(() -> {
            // On another thread, which may not use this thread's snapshot, and committed before the reads go on.
            try {
                CompletableFuture.runAsync(() -> createPair(next.getAndIncrement()))
                        .get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new AssertionError("the concurrent writer failed", e);
            }
        });
        MeshContextBuilder builder = new MeshContextBuilder(store, ResourceTypes.standard());

        for (int build = 0; build < 5; build++) {
            int committedAtStart = next.get();
            MeshContext context = builder.build("default").orElseThrow();

            List<String> expectedDataplanes = IntStream.range(0, committedAtStart).mapToObj(i -> "web-" + i)
                    .sorted().toList();
            List<String> expectedPermissions = IntStream.range(0, committedAtStart).mapToObj(i -> "allow-" + i)
                    .sorted().toList();
            assertThat(context.dataplanes()).extracting(Resource::name).as("build %d", build)
                    .containsExactlyElementsOf(expectedDataplanes);
            assertThat(context.policies().get(ResourceTypes.TRAFFIC_PERMISSION)).extracting(Resource::name)
                    .as("build %d", build).containsExactlyElementsOf(expectedPermissions);
            assertThat(context.endpoints("web")).as("build %d", build).hasSize(committedAtStart);
            assertThat(next.get()).as("the writer committed during build %d", build)
                    .isEqualTo(committedAtStart + 1);
        }
        assertThat(embedded.count(ResourceTypes.DATAPLANE, "default")).isEqualTo(pairs + 5);
    }

    /**
     * Everything a context is made of is read through the one snapshot: the mesh, Dataplanes and policies, the
     * Secret an ExternalService's TLS loads, the builtin CAs of this mesh and of the other one it may trust, the
     * zone egresses and the stored VIP table. A read straight from the store could see a later state.
     */
    @Test
    void everyReadOfAContextGoesThroughOneSnapshot() throws Exception {
        ResourceManager manager = ResourceManager.create(store, Clock.systemUTC(), CaPlugins.standard());
        String caPem = Files.readString(XdsFixtures.MTLS.resolve("ca.pem"));
        for (Resource<?> resource : XdsFixtures.parse("""
                type: Mesh
                name: default
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: builtin
                routing:
                  zoneEgress: true
                ---
                type: Mesh
                name: other
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: builtin
                ---
                type: Secret
                mesh: default
                name: httpbin-ca
                data: %s
                ---
                type: Dataplane
                mesh: default
                name: web-1
                networking:
                  address: 192.168.0.1
                  inbound:
                  - port: 8080
                    tags: {kuma.io/service: web}
                  transparentProxying: {redirectPortInbound: 15006, redirectPortOutbound: 15001}
                ---
                type: ExternalService
                mesh: default
                name: httpbin
                networking:
                  address: httpbin.org:443
                  tls:
                    enabled: true
                    caCert: {secret: httpbin-ca}
                tags: {kuma.io/service: httpbin}
                ---
                type: ZoneEgress
                name: egress-1
                networking: {address: 192.168.0.100, port: 10002}
                """.formatted(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8))))) {
            apply(manager, resource);
        }
        MeshContextBuilder builder = new MeshContextBuilder(store, ResourceTypes.standard(),
                MeshContextBuilder.VipWrites.STORE);
        store.resetCounts();

        MeshContext context = builder.build("default").orElseThrow();

        assertThat(store.snapshots()).as("snapshots").isEqualTo(1);
        assertThat(store.directReads()).as("reads outside the snapshot").isZero();
        assertThat(context.mtls().orElseThrow().ca()).as("the mesh's CA, read from its Secrets").isPresent();
        assertThat(context.mtls().orElseThrow().trustedMeshes()).as("the other mesh has a CA of its own")
                .containsExactly("default");
        assertThat(context.externalEndpoints("httpbin")).singleElement().satisfies(endpoint ->
                assertThat(endpoint.tls().orElseThrow().caCert()).as("the ExternalService's Secret").isPresent());
        assertThat(context.endpoints("httpbin")).extracting(Endpoint::dataplane)
                .containsExactly(MeshContextBuilder.ZONE_EGRESS_ENDPOINT_PREFIX + "egress-1");
        assertThat(context.vips().table().vips()).as("VIPs allocated from the stored table").isNotEmpty();
    }

    private void createPair(int i) {
        embedded.create(XdsFixtures.parse("""
                type: Dataplane
                mesh: default
                name: web-%d
                networking:
                  address: 10.0.%d.%d
                  inbound:
                  - port: 8080
                    tags: {kuma.io/service: web}
                """.formatted(i, i / 250, i % 250 + 1)).get(0));
        embedded.create(XdsFixtures.parse("""
                type: TrafficPermission
                mesh: default
                name: allow-%d
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                """.formatted(i)).get(0));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void apply(ResourceManager manager, Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    /**
     * A store that counts reads made straight on it and through its snapshots' readers, and can run a hook after
     * every listing of Dataplanes (either way). Only the test thread reads through it.
     */
    private static final class WatchedStore implements ResourceStore {
        private final ResourceStore delegate;
        private final AtomicInteger directReads = new AtomicInteger();
        private final AtomicInteger snapshots = new AtomicInteger();
        private volatile Runnable afterDataplanesListed = () -> { };

        WatchedStore(ResourceStore delegate) {
            this.delegate = delegate;
        }

        void afterDataplanesListed(Runnable hook) {
            afterDataplanesListed = hook;
        }

        void resetCounts() {
            directReads.set(0);
            snapshots.set(0);
        }

        int directReads() {
            return directReads.get();
        }

        int snapshots() {
            return snapshots.get();
        }

        /** Runs the hook after a listing of Dataplanes. */
        private <S extends Spec> ResourcePage<S> listed(ResourceType<S> type, ResourcePage<S> page) {
            if (type == ResourceTypes.DATAPLANE) {
                afterDataplanesListed.run();
            }
            return page;
        }

        @Override
        public <S extends Spec> Resource<S> create(Resource<S> resource) {
            return delegate.create(resource);
        }

        @Override
        public <S extends Spec> Resource<S> update(Resource<S> resource) {
            return delegate.update(resource);
        }

        @Override
        public void delete(ResourceKey key) {
            delegate.delete(key);
        }

        @Override
        public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
            directReads.incrementAndGet();
            return delegate.get(type, mesh, name);
        }

        @Override
        public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
            directReads.incrementAndGet();
            return listed(type, delegate.list(type, query));
        }

        @Override
        public long count(ResourceType<?> type, String mesh) {
            directReads.incrementAndGet();
            return delegate.count(type, mesh);
        }

        @Override
        public <T> T snapshot(Function<ResourceReader, T> reads) {
            snapshots.incrementAndGet();
            return delegate.snapshot(reader -> reads.apply(new ResourceReader() {
                @Override
                public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
                    return reader.get(type, mesh, name);
                }

                @Override
                public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
                    return listed(type, reader.list(type, query));
                }

                @Override
                public long count(ResourceType<?> type, String mesh) {
                    return reader.count(type, mesh);
                }
            }));
        }

        @Override
        public AutoCloseable subscribe(ChangeListener listener) {
            return delegate.subscribe(listener);
        }

        @Override
        public String describe() {
            return "watched " + delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
