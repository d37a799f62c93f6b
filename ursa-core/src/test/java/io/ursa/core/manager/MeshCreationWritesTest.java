package io.ursa.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.secret.SecretSpec;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.event.ResourceChange.Kind;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A new mesh is written with everything it gets (its CA's Secrets, default policies, signing key) in one store
 * write: whoever hears of the mesh finds all of it in place, a failed write leaves no half mesh, and a default
 * another control plane created meanwhile is kept.
 */
class MeshCreationWritesTest {
    /** What the stand-in CA said once its certificate was written: whether the store had it then. */
    private final List<Boolean> caSaidCreated = new CopyOnWriteArrayList<>();

    /**
     * Stands in for the builtin CA: keeps a key and a certificate in two Secrets of the mesh, and says it created them
     * once they are written.
     */
    private final CaPlugin secretKeepingCa = new CaPlugin() {
        @Override
        public String type() {
            return "builtin";
        }

        @Override
        public void validate(CaBackendContext context, Violations violations) {
        }

        @Override
        public void ensure(CaBackendContext context) {
            String cert = context.mesh() + ".ca-builtin-cert-" + context.backendName();
            if (context.secrets().read(context.mesh(), cert).isPresent()) {
                return;
            }
            context.secrets().createIfAbsent(context.mesh(), context.mesh() + ".ca-builtin-key-"
                    + context.backendName(), "key".getBytes(StandardCharsets.US_ASCII));
            if (context.secrets().createIfAbsent(context.mesh(), cert, "cert".getBytes(StandardCharsets.US_ASCII))) {
                context.secrets().afterWritten(() ->
                        caSaidCreated.add(store.get(ResourceTypes.SECRET, context.mesh(), cert).isPresent()));
            }
        }
    };

    private static final String BUILTIN_CA_MESH = """
            type: Mesh
            name: demo
            mtls:
              enabledBackend: ca-1
              backends:
                - name: ca-1
                  type: builtin
            """;

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final BatchHookStore store = new BatchHookStore();
    private final ResourceManager manager = ResourceManager.create(store, Clock.systemUTC(),
            List.of(secretKeepingCa));

    private Resource<?> apply(String yaml) {
        return upsert(codec.decode(codec.parseYamlDocuments(yaml).get(0)));
    }

    private <S extends Spec> Resource<S> upsert(Resource<S> r) {
        return manager.upsert(r.type(), r.mesh(), r.name(), r.spec(), OptionalLong.empty()).resource();
    }

    private static ResourceKey key(ResourceType<?> type, String name) {
        return new ResourceKey(type, "demo", name);
    }

    /** What a mesh {@code demo} with the builtin CA gets, in the order it is written and announced. */
    private static final List<ResourceKey> BUILTIN_CA_MESH_KEYS = List.of(
            ResourceKey.global(ResourceTypes.MESH, "demo"),
            key(ResourceTypes.SECRET, "demo.ca-builtin-key-ca-1"),
            key(ResourceTypes.SECRET, "demo.ca-builtin-cert-ca-1"),
            key(ResourceTypes.TRAFFIC_PERMISSION, "allow-all-demo"),
            key(ResourceTypes.TRAFFIC_ROUTE, "route-all-demo"),
            key(ResourceTypes.TIMEOUT, "timeout-all-demo"),
            key(ResourceTypes.CIRCUIT_BREAKER, "circuit-breaker-all-demo"),
            key(ResourceTypes.RETRY, "retry-all-demo"),
            key(ResourceTypes.SECRET, "dataplane-token-signing-key-demo-1"));

    private long present(List<ResourceKey> keys) {
        return keys.stream().filter(k -> store.get(k.type(), k.mesh(), k.name()).isPresent()).count();
    }

    @Test
    void whoeverHearsOfANewMeshFindsEverythingItGetsInPlaceInOneWrite() {
        List<ResourceChange> heard = new CopyOnWriteArrayList<>();
        List<Long> presentWhenMeshHeard = new CopyOnWriteArrayList<>();
        store.subscribe(change -> {
            heard.add(change);
            if (change.key().type() == ResourceTypes.MESH) {
                presentWhenMeshHeard.add(present(BUILTIN_CA_MESH_KEYS));
            }
        });

        apply(BUILTIN_CA_MESH);

        assertThat(heard).containsExactlyElementsOf(BUILTIN_CA_MESH_KEYS.stream()
                .map(k -> new ResourceChange(k, Kind.CREATED, 1)).toList());
        assertThat(presentWhenMeshHeard).containsExactly((long) BUILTIN_CA_MESH_KEYS.size());
        assertThat(store.writes).hasValue(1);
        assertThat(new String(manager.get(ResourceTypes.SECRET, "demo", "demo.ca-builtin-cert-ca-1").orElseThrow()
                .spec().bytes(), StandardCharsets.US_ASCII)).isEqualTo("cert");
        assertThat(caSaidCreated).as("the CA spoke once, after its certificate was written").containsExactly(true);
    }

    @Test
    void aMeshWithoutDefaultPoliciesIsWrittenWithItsSigningKey() {
        apply("type: Mesh\nname: demo\nskipCreatingInitialPolicies: ['*']\n");

        assertThat(store.writes).hasValue(1);
        assertThat(manager.list(ResourceTypes.SECRET, ListQuery.inMesh("demo")).items())
                .extracting(Resource::name).containsExactly("dataplane-token-signing-key-demo-1");
    }

    @Test
    void aMeshWhoseWriteFailsIsNotCreatedAtAllAndCanBeCreatedAgain() {
        store.beforeNextBatch(batch -> {
            throw new StoreUnavailableException("could not create " + batch.get(0).key() + ": disk full", null);
        });

        assertThatThrownBy(() -> apply(BUILTIN_CA_MESH)).isInstanceOf(StoreUnavailableException.class);

        assertThat(present(BUILTIN_CA_MESH_KEYS)).isZero();
        assertThat(caSaidCreated).as("a CA whose Secrets were not written says nothing").isEmpty();
        apply(BUILTIN_CA_MESH);
        assertThat(present(BUILTIN_CA_MESH_KEYS)).isEqualTo(BUILTIN_CA_MESH_KEYS.size());
        assertThat(caSaidCreated).containsExactly(true);
    }

    @Test
    void aDefaultAnotherControlPlaneCreatedMeanwhileIsKeptAndTheRestIsCreated() {
        SecretSpec theirs = SecretSpec.of("their key".getBytes(StandardCharsets.US_ASCII));
        store.beforeNextBatch(batch -> store.delegate.create(
                Resource.of(ResourceTypes.SECRET, "demo", "dataplane-token-signing-key-demo-1", theirs)));

        Resource<?> mesh = apply(BUILTIN_CA_MESH);

        assertThat(mesh.meta().version()).isEqualTo(1);
        assertThat(present(BUILTIN_CA_MESH_KEYS)).isEqualTo(BUILTIN_CA_MESH_KEYS.size());
        assertThat(manager.get(ResourceTypes.SECRET, "demo", "dataplane-token-signing-key-demo-1").orElseThrow()
                .spec()).isEqualTo(theirs);
        assertThat(caSaidCreated).as("the CA's Secrets were written one at a time, then it spoke")
                .containsExactly(true);
    }

    @Test
    void aMeshAnotherControlPlaneCreatedMeanwhileIsUpdatedAsAPutDoes() {
        Resource<?> theirs = codec.decode(codec.parseYamlDocuments("type: Mesh\nname: demo\n").get(0));
        store.beforeNextBatch(batch -> store.delegate.create(theirs));

        Resource<?> mesh = apply(BUILTIN_CA_MESH);

        assertThat(mesh.meta().version()).isEqualTo(2);
        assertThat(manager.list(ResourceTypes.TRAFFIC_PERMISSION, ListQuery.inMesh("demo")).items()).isEmpty();
        assertThat(caSaidCreated).as("once, for the Secrets the update wrote; not for those of the lost create")
                .containsExactly(true);
    }
}
