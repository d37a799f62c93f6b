package io.ursa.xds.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.BuiltinCaPlugin;
import io.ursa.ca.CaPlugins;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a mesh context knows about mTLS: the CA, its mode, and which meshes share it. */
class MeshMtlsContextTest {
    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final MemoryResourceStore store = new MemoryResourceStore();
    private ResourceManager manager;
    private MeshContextBuilder contexts;

    @BeforeEach
    void setUp() {
        manager = ResourceManager.create(store, Clock.systemUTC(), CaPlugins.standard());
        contexts = new MeshContextBuilder(store, ResourceTypes.standard());
    }

    @Test
    void aMeshWithoutMtlsHasNone() {
        apply("type: Mesh\nname: plain");

        assertThat(contexts.build("plain").orElseThrow().mtls()).isEmpty();
    }

    @Test
    void meshesWithBuiltinCasTrustOnlyThemselves() {
        apply(builtin("alpha", "STRICT"));
        apply(builtin("beta", "PERMISSIVE"));

        MeshMtls alpha = contexts.build("alpha").orElseThrow().mtls().orElseThrow();
        MeshMtls beta = contexts.build("beta").orElseThrow().mtls().orElseThrow();

        assertThat(alpha.trustedMeshes()).containsExactly("alpha");
        assertThat(beta.trustedMeshes()).containsExactly("beta");
        assertThat(alpha.permissive()).isFalse();
        assertThat(beta.permissive()).isTrue();
        assertThat(alpha.ca().orElseThrow().fingerprint()).isNotEqualTo(beta.ca().orElseThrow().fingerprint());
        String stored = new String(manager.get(ResourceTypes.SECRET, "alpha", BuiltinCaPlugin.certSecretName("alpha",
                "ca-1")).orElseThrow().spec().bytes(), StandardCharsets.UTF_8);
        assertThat(alpha.ca().orElseThrow().trustedRootsPem().replace("\n", ""))
                .isEqualTo(stored.replace("\n", "").replace("\r", ""));
    }

    @Test
    void meshesSharingAProvidedCaTrustEachOther() {
        apply(builtin("source", "STRICT"));
        String cert = secret("source", BuiltinCaPlugin.certSecretName("source", "ca-1"));
        String key = secret("source", BuiltinCaPlugin.keySecretName("source", "ca-1"));
        apply(provided("charlie", cert, key));
        apply(provided("delta", cert, key));

        assertThat(contexts.build("charlie").orElseThrow().mtls().orElseThrow().trustedMeshes())
                .containsExactly("charlie", "delta", "source");
        assertThat(contexts.build("delta").orElseThrow().mtls().orElseThrow().trustedMeshes())
                .containsExactly("charlie", "delta", "source");
    }

    @Test
    void theHashChangesWhenAnotherMeshStartsSharingTheCa() {
        apply(builtin("source", "STRICT"));
        String cert = secret("source", BuiltinCaPlugin.certSecretName("source", "ca-1"));
        String key = secret("source", BuiltinCaPlugin.keySecretName("source", "ca-1"));
        apply(provided("charlie", cert, key));
        String before = contexts.build("charlie").orElseThrow().hash();

        apply(provided("delta", cert, key));

        assertThat(contexts.build("charlie").orElseThrow().hash()).isNotEqualTo(before);
    }

    private String secret(String mesh, String name) {
        return new String(manager.get(ResourceTypes.SECRET, mesh, name).orElseThrow().spec().bytes(),
                StandardCharsets.UTF_8);
    }

    private static String builtin(String mesh, String mode) {
        return """
                type: Mesh
                name: %s
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: builtin
                    mode: %s
                """.formatted(mesh, mode);
    }

    private static String provided(String mesh, String cert, String key) {
        return """
                type: Mesh
                name: %s
                mtls:
                  enabledBackend: shared
                  backends:
                  - name: shared
                    type: provided
                    conf:
                      cert:
                        inlineString: "%s"
                      key:
                        inlineString: "%s"
                """.formatted(mesh, cert.replace("\n", "\\n"), key.replace("\n", "\\n"));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(String text) {
        Resource resource = codec.decode(codec.parseYamlDocuments(text).get(0));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
