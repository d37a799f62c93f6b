package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.policy.PolicySupport;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.template.ProxyTemplates;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@link PolicySupport} true: each policy type is added alone to a mesh and the sidecar's and the proxyless
 * application's configuration generated with and without it. A type said to be applied (in full or in part) to a
 * kind of proxy must change that proxy's configuration; one said not to be applied must leave it as it was, so
 * {@code /policies} never claims what the proxies do not carry, nor hides what they do. Configurations are
 * generated as the reconciler does ({@link ProxyTemplates#generate}), so that a ProxyTemplate counts.
 */
class PolicySupportTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("support");
    private static final String BASE = XdsFixtures.read(FOLDER.resolve("base.input.yaml"));
    private static final String POLICIES = XdsFixtures.read(FOLDER.resolve("policies.yaml"));

    static Stream<String> policyTypes() {
        return XdsFixtures.parse(POLICIES).stream().map(r -> r.type().name());
    }

    @Test
    void everyPolicyTypeHasItsSupportAndOneTestPolicy() {
        List<String> policies = ResourceTypes.standard().policies().stream().map(ResourceType::name).toList();

        assertThat(policyTypes()).containsExactlyInAnyOrderElementsOf(policies);
        assertThat(policies).allSatisfy(type -> assertThat(PolicySupport.of(type)).as(type).isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyTypes")
    void aPolicyChangesTheConfigurationOfExactlyTheProxiesItIsSaidToBeAppliedTo(String type) {
        PolicySupport.Support support = PolicySupport.of(type).orElseThrow();
        if (GATEWAY_TYPES.contains(type)) {
            // the Envoy that applies them is a builtin gateway; a proxyless application cannot be one
            String base = gatewayBase(type);
            String withPolicy = base + "\n---\n" + policyOf(type);
            assertChanges(type, "a builtin gateway", envoy(base), envoy(withPolicy),
                    support.envoy() != PolicySupport.Level.NOT_APPLIED);
            assertChanges(type, "a proxyless gRPC application as a gateway", grpc(base), grpc(withPolicy),
                    support.proxylessGrpc() != PolicySupport.Level.NOT_APPLIED);
            return;
        }
        String withPolicy = withoutDefaultPermission(type) + "\n---\n" + policyOf(type);

        assertChanges(type, "an Envoy sidecar", envoy(base(type)), envoy(withPolicy),
                support.envoy() != PolicySupport.Level.NOT_APPLIED);
        assertChanges(type, "a proxyless gRPC application", grpc(base(type)), grpc(withPolicy),
                support.proxylessGrpc() != PolicySupport.Level.NOT_APPLIED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyTypes")
    void everyConnectionPolicyTheGatewayIsSaidToApplyChangesItsConfiguration(String type) {
        if (!GATEWAY_CONNECTION_TYPES.contains(type)) {
            return;
        }
        String base = gatewayBase("MeshGatewayRoute") + "\n---\n" + policyOf("MeshGatewayRoute");
        assertChanges(type, "a builtin gateway", envoy(base), envoy(base + "\n---\n" + policyOf(type)), true);
    }

    /** The policy types that configure the builtin gateway itself. */
    private static final List<String> GATEWAY_TYPES = List.of("MeshGateway", "MeshGatewayRoute");

    /** The connection policies Kuma's builtin gateway applies to its routes and clusters, as Ursa's does. */
    private static final List<String> GATEWAY_CONNECTION_TYPES = List.of("Timeout", "Retry", "CircuitBreaker",
            "HealthCheck", "RateLimit");

    /**
     * The base with a builtin gateway Dataplane first (the proxy generated) and, for a MeshGatewayRoute, the
     * MeshGateway its listener needs.
     */
    private static String gatewayBase(String type) {
        String gateway = """
                type: Dataplane
                mesh: default
                name: edge-1
                networking:
                  address: 192.168.0.9
                  gateway:
                    type: BUILTIN
                    tags: {kuma.io/service: edge-gateway}
                ---
                """ + BASE + """

                ---
                type: Dataplane
                mesh: default
                name: backend-1
                networking:
                  address: 192.168.0.5
                  inbound:
                  - port: 8000
                    tags: {kuma.io/service: backend, kuma.io/protocol: http}
                """;
        return type.equals("MeshGatewayRoute") ? gateway + "---\n" + policyOf("MeshGateway") : gateway;
    }

    private static void assertChanges(String type, String proxy, JsonNode before, JsonNode after, boolean applied) {
        if (applied) {
            assertThat(after).as(type + " is said to be applied to " + proxy + ", so it must change its configuration")
                    .isNotEqualTo(before);
        } else {
            assertThat(after).as(type + " is said not to be applied to " + proxy + ", so its configuration must stay")
                    .isEqualTo(before);
        }
    }

    /** The base; for TrafficPermission, the base has none, so that adding one makes the difference. */
    private static String base(String type) {
        return withoutDefaultPermission(type);
    }

    private static String withoutDefaultPermission(String type) {
        return type.equals("TrafficPermission") ? BASE : BASE + "\n---\n" + policyOf("TrafficPermission");
    }

    private static String policyOf(String type) {
        Resource<?> policy = XdsFixtures.parse(POLICIES).stream().filter(r -> r.type().name().equals(type))
                .findFirst().orElseThrow();
        return XdsFixtures.CODEC.writeYaml(XdsFixtures.CODEC.toUniversal(policy)
                .without(List.of("creationTime", "modificationTime")));
    }

    private static JsonNode envoy(String yaml) {
        ProxyContext proxy = XdsFixtures.firstProxy(yaml, "support");
        return XdsYaml.toTree(ProxyTemplates.generate(proxy));
    }

    private static JsonNode grpc(String yaml) {
        ProxyContext proxy = XdsFixtures.firstProxy(yaml, "support").withMetadata(ProxyMetadata.grpc());
        return XdsYaml.toTree(ProxyTemplates.generate(proxy));
    }
}
