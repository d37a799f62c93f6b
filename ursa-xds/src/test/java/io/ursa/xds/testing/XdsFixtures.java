package io.ursa.xds.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourceStore;
import io.ursa.ca.MeshCa;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyIdentity;
import io.ursa.xds.context.ProxyMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inputs of xDS tests as Universal YAML: a file of documents (Meshes, Dataplanes, policies) loaded into a memory
 * store, from which real {@link MeshContext}s are built. The proxy under test is the file's first Dataplane.
 *
 * <p>The proxy reports an Envoy admin port when, and only when, that Dataplane sets {@code networking.admin.port}
 * (as a sidecar bootstrapped from such a Dataplane does), with the default admin address {@code 127.0.0.1}; other
 * metadata is given with {@link ProxyContext#withMetadata}.
 *
 * <p>In a mesh whose mTLS is on with a usable CA, the proxy has {@link #testIdentity}, as the reconciler guarantees.
 * Fixtures with mTLS use the {@code provided} test CA of {@link #MTLS} ({@code ca.pem}, {@code ca.key.pem}; EC
 * P-256, valid for a century), so that every golden file is stable.
 */
public final class XdsFixtures {
    /** Where every xDS golden folder lives, relative to the module. */
    public static final Path TESTDATA = Path.of("src/test/resources/testdata/xds");

    public static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());
    /** The test CA and the fixed proxy identity it issued. */
    public static final Path MTLS = TESTDATA.resolve("mtls");

    private XdsFixtures() {
    }

    /**
     * Mesh {@code shop} with the TrafficRoute that a new mesh gets ({@code route-all-shop}: every service to
     * itself), as Universal YAML ending in a document separator, for tests to append Dataplanes and policies to.
     */
    public static final String SHOP_ROUTING_ALL = """
            type: Mesh
            name: shop
            ---
            type: TrafficRoute
            mesh: shop
            name: route-all-shop
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            conf: {destination: {kuma.io/service: '*'}}
            ---
            """;

    /** The resources of a Universal YAML text, in document order. */
    public static List<Resource<?>> parse(String yaml) {
        List<Resource<?>> resources = new ArrayList<>();
        for (JsonNode document : CODEC.parseYamlDocuments(yaml)) {
            resources.add(CODEC.decode(document));
        }
        return resources;
    }

    /** A memory store holding the resources of {@code yaml}. */
    public static ResourceStore store(String yaml) {
        ResourceStore store = new MemoryResourceStore();
        parse(yaml).forEach(store::create);
        return store;
    }

    /** Writes the resources of {@code yaml} to {@code store}: created, or updated over the stored ones. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void write(ResourceStore store, String yaml) {
        for (Resource resource : parse(yaml)) {
            Optional<Resource> current = store.get(resource.type(), resource.mesh(), resource.name());
            if (current.isPresent()) {
                store.update(resource.withMeta(current.get().meta()));
            } else {
                store.create(resource);
            }
        }
    }

    /** The context of the first Dataplane of {@code input}, built through a real store and context builder. */
    public static ProxyContext firstProxy(Path input) {
        return firstProxy(read(input), input.toString());
    }

    /** Like {@link #firstProxy(Path)}, for a YAML text; {@code input} names it in errors. */
    public static ProxyContext firstProxy(String yaml, String input) {
        Resource<?> dataplane = parse(yaml).stream()
                .filter(r -> r.type() == ResourceTypes.DATAPLANE)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(input + " has no Dataplane"));
        MeshContext mesh = new MeshContextBuilder(store(yaml), ResourceTypes.standard())
                .build(dataplane.mesh())
                .orElseThrow(() -> new IllegalArgumentException(input + " has no Mesh " + dataplane.mesh()));
        ProxyContext proxy = mesh.proxy(dataplane.name()).orElseThrow();
        Optional<MeshCa> ca = mesh.mtls().flatMap(MeshMtls::ca);
        if (ca.isPresent()) {
            proxy = proxy.withIdentity(testIdentity(ca.get()));
        }
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking != null && networking.admin() != null && networking.admin().port() != 0) {
            return proxy.withMetadata(ProxyMetadata.envoy(networking.admin().port()));
        }
        return proxy;
    }

    /**
     * A fixed identity: a certificate of the test CA ({@code mtls/identity.pem}, URI SANs
     * {@code spiffe://default/web} and {@code kuma://kuma.io/service/web}) and its PKCS#8 key, whatever the proxy.
     * Generators copy it into the identity Secret; what it says matters only to real TLS peers.
     */
    public static ProxyIdentity testIdentity(MeshCa ca) {
        return new ProxyIdentity(read(MTLS.resolve("identity.pem")), read(MTLS.resolve("identity.key.pem")),
                ca.fingerprint(), Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2126-01-01T00:00:00Z"));
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
