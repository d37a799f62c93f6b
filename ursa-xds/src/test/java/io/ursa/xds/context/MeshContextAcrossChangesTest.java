package io.ursa.xds.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourceStore;
import io.ursa.store.jdbc.EmbeddedResourceStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mesh's context built again after each of a sequence of random changes, by one builder over one embedded store
 * that keep what they decoded and hashed (as the reconciler's do), is equal to the context built from scratch: by a
 * new builder over a memory store that was given the same writes, so that nothing is shared but the content (the
 * stores stamp their own times, which the content hash leaves out). And what did not change is not decoded again.
 */
class MeshContextAcrossChangesTest {
    private static final ResourceTypes TYPES = ResourceTypes.standard();
    private static final ResourceCodec CODEC = new ResourceCodec(TYPES);
    private static final List<String> SERVICES = List.of("web", "backend", "billing", "admin", "payments");

    @TempDir
    java.nio.file.Path dir;
    private ResourceStore store;
    private final ResourceStore mirror = new MemoryResourceStore();
    private final Random random = new Random(17);
    /** The Dataplane the last change created, changed or deleted; null after a policy change. */
    private String changedDataplane;

    @BeforeEach
    void open() {
        store = EmbeddedResourceStore.open(dir, TYPES, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aContextBuiltAfterEachChangeEqualsOneBuiltFromScratch() {
        write("type: Mesh\nname: shop");
        write(policy("TrafficRoute", "route-all-shop", "'*'", "{destination: {kuma.io/service: '*'}}"));
        MeshContextBuilder builder = new MeshContextBuilder(store, TYPES);
        for (int i = 0; i < 20; i++) {
            write(dataplane("dp-" + i));
        }
        MeshContext previous = builder.build("shop").orElseThrow();
        for (int step = 0; step < 120; step++) {
            String changed = change();
            MeshContext context = builder.build("shop").orElseThrow();
            MeshContext scratch = new MeshContextBuilder(mirror, TYPES).build("shop").orElseThrow();

            assertThat(context.hash()).as("step %d: %s", step, changed).isEqualTo(scratch.hash());
            assertThat(specs(context.dataplanes())).as("step %d", step).isEqualTo(specs(scratch.dataplanes()));
            assertThat(context.policies().keySet()).as("step %d", step).isEqualTo(scratch.policies().keySet());
            for (var policies : context.policies().entrySet()) {
                assertThat(specs(policies.getValue())).as("step %d: %s", step, policies.getKey())
                        .isEqualTo(specs(scratch.policies().get(policies.getKey())));
            }
            assertThat(context.endpoints()).as("step %d", step).isEqualTo(scratch.endpoints());
            assertThat(context.applicationEndpoints()).as("step %d", step).isEqualTo(scratch.applicationEndpoints());
            assertThat(context.vips()).as("step %d", step).isEqualTo(scratch.vips());
            for (Resource<DataplaneSpec> dataplane : context.dataplanes()) {
                Optional<Resource<DataplaneSpec>> before = previous.dataplane(dataplane.name());
                if (before.isPresent() && before.get().equals(dataplane)) {
                    assertThat(dataplane).as("step %d: unchanged, not decoded again", step).isSameAs(before.get());
                }
            }
            // only the services the changed Dataplane served before or serves now are listed again
            java.util.Set<String> touched = new java.util.HashSet<>();
            if (changedDataplane != null) {
                previous.dataplane(changedDataplane).ifPresent(d -> touched.addAll(
                        MeshContextBuilder.endpoints(List.of(d)).keySet()));
                context.dataplane(changedDataplane).ifPresent(d -> touched.addAll(
                        MeshContextBuilder.endpoints(List.of(d)).keySet()));
            }
            for (var service : previous.endpoints().entrySet()) {
                if (!touched.contains(service.getKey())) {
                    assertThat(context.endpoints().get(service.getKey())).as("step %d: %s", step, service.getKey())
                            .isSameAs(service.getValue());
                }
            }
            previous = context;
        }
    }

    /** One random change of the mesh; returns what it was. */
    private String change() {
        List<String> dataplanes = store.list(ResourceTypes.DATAPLANE, ListQuery.inMesh("shop")).items().stream()
                .map(Resource::name).toList();
        int kind = random.nextInt(6);
        String name;
        changedDataplane = null;
        switch (kind) {
            case 0 -> {
                name = "dp-" + (100 + random.nextInt(1000));
                write(dataplane(name));
                changedDataplane = name;
                return "created Dataplane " + name;
            }
            case 1, 2 -> {
                name = dataplanes.get(random.nextInt(dataplanes.size()));
                write(dataplane(name));
                changedDataplane = name;
                return "changed Dataplane " + name;
            }
            case 3 -> {
                name = dataplanes.get(random.nextInt(dataplanes.size()));
                delete(new ResourceKey(ResourceTypes.DATAPLANE, "shop", name));
                changedDataplane = name;
                return "deleted Dataplane " + name;
            }
            default -> {
                String type = random.nextBoolean() ? "Timeout" : "Retry";
                name = type.toLowerCase() + "-" + random.nextInt(3);
                ResourceType<?> resourceType = type.equals("Timeout") ? ResourceTypes.TIMEOUT : ResourceTypes.RETRY;
                if (random.nextInt(4) == 0 && store.get(resourceType, "shop", name).isPresent()) {
                    delete(new ResourceKey(resourceType, "shop", name));
                    return "deleted " + type + " " + name;
                }
                String destination = random.nextInt(4) == 0 ? "'*'" : service();
                write(policy(type, name, destination, type.equals("Timeout")
                        ? "{connectTimeout: " + (1 + random.nextInt(9)) + "s}"
                        : "{http: {numRetries: " + random.nextInt(9) + "}}"));
                return "wrote " + type + " " + name + " for " + destination;
            }
        }
    }

    private String dataplane(String name) {
        StringBuilder outbounds = new StringBuilder();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            outbounds.append("  - {port: ").append(20001 + i).append(", tags: {kuma.io/service: ").append(service())
                    .append("}}\n");
        }
        return "type: Dataplane\nmesh: shop\nname: " + name + "\nnetworking:\n  address: 10.0."
                + random.nextInt(4) + "." + (1 + random.nextInt(200)) + "\n  inbound:\n  - {port: 8080, tags: "
                + "{kuma.io/service: " + service() + ", version: v" + random.nextInt(3) + "}"
                + (random.nextInt(5) == 0 ? ", health: {ready: false}" : "") + "}\n"
                + (outbounds.isEmpty() ? "" : "  outbound:\n" + outbounds);
    }

    private String service() {
        return SERVICES.get(random.nextInt(SERVICES.size()));
    }

    private static String policy(String type, String name, String destination, String conf) {
        return "type: " + type + "\nmesh: shop\nname: " + name + "\nsources: [{match: {kuma.io/service: '*'}}]\n"
                + "destinations: [{match: {kuma.io/service: " + destination + "}}]\nconf: " + conf + "\n";
    }

    /** The names and specs of {@code resources}, what the content hash covers. */
    private static List<String> specs(List<? extends Resource<?>> resources) {
        return resources.stream().map(r -> r.key() + " " + CODEC.writeJson(CODEC.encodeSpec(r.spec()))).toList();
    }

    private void write(String yaml) {
        Resource<?> resource = CODEC.decode(CODEC.parseYamlDocuments(yaml).get(0));
        upsert(store, resource);
        upsert(mirror, resource);
    }

    private void delete(ResourceKey key) {
        store.delete(key);
        mirror.delete(key);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ResourceStore to, Resource resource) {
        Optional<Resource> current = to.get(resource.type(), resource.mesh(), resource.name());
        if (current.isPresent()) {
            to.update(resource.withMeta(current.get().meta()));
        } else {
            to.create(resource);
        }
    }
}
