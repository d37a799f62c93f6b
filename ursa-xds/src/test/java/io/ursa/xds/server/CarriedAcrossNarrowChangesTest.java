package io.ursa.xds.server;

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
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.template.ProxyTemplates;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler carries from a mesh context into the next one after a narrow change (only Dataplanes and
 * destination policies of named services changed) gives every proxy exactly the configuration a context built from
 * scratch gives it. A sequence of random changes (instances created, changed and deleted; Timeouts, Retries,
 * CircuitBreakers and HealthChecks written and deleted for one service or for all; now and then a TrafficRoute that
 * splits traffic to a named service) is applied to a mesh; after each, every proxy is generated in the context that
 * carried what it could, and compared with its generation in a fresh context.
 */
class CarriedAcrossNarrowChangesTest {
    private static final ResourceTypes TYPES = ResourceTypes.standard();
    private static final ResourceCodec CODEC = new ResourceCodec(TYPES);
    private static final List<String> SERVICES = List.of("web", "backend", "billing", "admin", "payments");
    private static final List<String> DESTINATION_POLICIES = List.of("Timeout", "Retry", "CircuitBreaker",
            "HealthCheck");

    private final ResourceStore store = new MemoryResourceStore();
    private final Random random = new Random(29);

    @Test
    void everyProxyGetsWhatAFreshContextGivesIt() {
        write("type: Mesh\nname: shop");
        write(policy("TrafficRoute", "route-all-shop", "'*'", "{destination: {kuma.io/service: '*'}}"));
        for (int i = 0; i < 24; i++) {
            write(dataplane("dp-" + i));
        }
        MeshContextBuilder builder = new MeshContextBuilder(store, TYPES);
        MeshContext previous = builder.build("shop").orElseThrow();
        generateAll(previous);
        int narrowChanges = 0;
        int carried = 0;
        for (int step = 0; step < 200; step++) {
            String changed = change();
            MeshContext context = builder.build("shop").orElseThrow();
            Optional<NarrowChange> narrow = previous.hash().equals(context.hash()) ? Optional.empty()
                    : NarrowChange.between(previous, context);
            if (narrow.isPresent()) {
                narrowChanges++;
                carried += narrow.get().carry(previous, context);
            }
            MeshContext scratch = new MeshContextBuilder(store, TYPES).build("shop").orElseThrow();
            for (Resource<DataplaneSpec> dataplane : context.dataplanes()) {
                assertThat(generate(context, dataplane.name()))
                        .as("step %d (%s): proxy %s", step, changed, dataplane.name())
                        .isEqualTo(generate(scratch, dataplane.name()));
            }
            previous = context;
        }
        assertThat(narrowChanges).as("narrow changes among the random ones").isGreaterThan(50);
        assertThat(carried).as("values carried over all narrow changes").isGreaterThan(100);
    }

    private static void generateAll(MeshContext context) {
        context.dataplanes().forEach(dataplane -> generate(context, dataplane.name()));
    }

    private static ResourceSet generate(MeshContext context, String name) {
        ProxyContext proxy = context.proxy(name).orElseThrow().withMetadata(ProxyMetadata.envoy(9901));
        return ProxyTemplates.generate(proxy);
    }

    /** One random change of the mesh; returns what it was. */
    private String change() {
        List<String> dataplanes = store.list(ResourceTypes.DATAPLANE, ListQuery.inMesh("shop")).items().stream()
                .map(Resource::name).toList();
        int kind = random.nextInt(10);
        String name;
        if (kind == 0) {
            name = "dp-" + (100 + random.nextInt(1000));
            write(dataplane(name));
            return "created Dataplane " + name;
        }
        if (kind <= 2) {
            name = dataplanes.get(random.nextInt(dataplanes.size()));
            write(dataplane(name));
            return "changed Dataplane " + name;
        }
        if (kind == 3 && dataplanes.size() > 8) {
            name = dataplanes.get(random.nextInt(dataplanes.size()));
            store.delete(new ResourceKey(ResourceTypes.DATAPLANE, "shop", name));
            return "deleted Dataplane " + name;
        }
        if (kind == 4) {
            if (random.nextBoolean()) {
                String to = service();
                write(policy("TrafficRoute", "split", "'*'", "{split: [{weight: 1, destination: {kuma.io/service: "
                        + to + "}}, {weight: 1, destination: {kuma.io/service: '*'}}]}"));
                return "wrote a TrafficRoute that splits to " + to;
            }
            store.get(ResourceTypes.TRAFFIC_ROUTE, "shop", "split")
                    .ifPresent(route -> store.delete(route.key()));
            return "deleted the splitting TrafficRoute";
        }
        String type = DESTINATION_POLICIES.get(random.nextInt(DESTINATION_POLICIES.size()));
        ResourceType<?> resourceType = TYPES.byName(type).orElseThrow();
        name = type.toLowerCase() + "-" + random.nextInt(3);
        if (random.nextInt(4) == 0 && store.get(resourceType, "shop", name).isPresent()) {
            store.delete(new ResourceKey(resourceType, "shop", name));
            return "deleted " + type + " " + name;
        }
        String destination = random.nextInt(5) == 0 ? "'*'" : service();
        // callers selected by service, by version or all: which policies a caller's tags select then depends on
        // the policies' order in the mesh, which writes and deletes shift
        String sources = switch (random.nextInt(3)) {
            case 0 -> "{kuma.io/service: '*'}";
            case 1 -> "{kuma.io/service: " + service() + "}";
            default -> "{kuma.io/service: '*', version: v" + random.nextInt(3) + "}";
        };
        write(policy(type, name, sources, destination, conf(type)));
        return "wrote " + type + " " + name + " from " + sources + " to " + destination;
    }

    private String conf(String type) {
        int n = 1 + random.nextInt(9);
        return switch (type) {
            case "Timeout" -> "{connectTimeout: " + n + "s}";
            case "Retry" -> "{http: {numRetries: " + n + "}}";
            case "CircuitBreaker" -> "{thresholds: {maxConnections: " + n + "}}";
            default -> "{interval: " + n + "s, timeout: 2s, unhealthyThreshold: 3, healthyThreshold: 1}";
        };
    }

    private String dataplane(String name) {
        StringBuilder outbounds = new StringBuilder();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            outbounds.append("  - {port: ").append(20001 + i).append(", tags: {kuma.io/service: ").append(service())
                    .append("}}\n");
        }
        return "type: Dataplane\nmesh: shop\nname: " + name + "\nnetworking:\n  address: 10.0."
                + random.nextInt(4) + "." + (1 + random.nextInt(200)) + "\n  inbound:\n  - {port: 8080, tags: "
                + "{kuma.io/service: " + service() + ", kuma.io/protocol: " + (random.nextInt(4) == 0 ? "tcp" : "http")
                + ", version: v" + random.nextInt(3) + "}" + (random.nextInt(5) == 0 ? ", health: {ready: false}" : "")
                + "}\n  outbound:\n" + outbounds;
    }

    private String service() {
        return SERVICES.get(random.nextInt(SERVICES.size()));
    }

    private static String policy(String type, String name, String destination, String conf) {
        return policy(type, name, "{kuma.io/service: '*'}", destination, conf);
    }

    private static String policy(String type, String name, String sources, String destination, String conf) {
        return "type: " + type + "\nmesh: shop\nname: " + name + "\nsources: [{match: " + sources + "}]\n"
                + "destinations: [{match: {kuma.io/service: " + destination + "}}]\nconf: " + conf + "\n";
    }

    private void write(String yaml) {
        XdsFixtures.write(store, yaml);
    }
}
