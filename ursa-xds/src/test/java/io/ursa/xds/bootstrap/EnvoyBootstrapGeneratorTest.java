package io.ursa.xds.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.ursa.api.codec.Json;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvoyBootstrapGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("bootstrap");
    static final String SERVER_CA = "-----BEGIN CERTIFICATE-----\nDP-SERVER-CA\n-----END CERTIFICATE-----\n";

    /** The xDS host of each golden case: a DNS name gives a STRICT_DNS ads_cluster, an IP a STATIC one. */
    private static final Map<String, String> XDS_HOSTS = Map.of(
            "sidecar-admin-port", "control-plane.ursa-system",
            "default-admin-port", "control-plane.ursa-system",
            "with-token", "10.0.0.1",
            "two-instances-ips", "10.0.0.1",
            "name-and-ip-instances", "cp-1.ursa-system",
            "builtin-gateway", "10.0.0.1");

    /** Every message Envoy would have to unpack from an {@code Any} in a bootstrap (envoy-config §9). */
    private static final List<Message> ANY_TYPES = List.of(HttpProtocolOptions.getDefaultInstance(),
            UpstreamTlsContext.getDefaultInstance(), FileAccessLog.getDefaultInstance(),
            FixedHeapConfig.getDefaultInstance());
    private static final JsonFormat.TypeRegistry REGISTRY = JsonFormat.TypeRegistry.newBuilder()
            .add(ANY_TYPES.stream().map(Message::getDescriptorForType).toList()).build();

    @ParameterizedTest
    @ValueSource(strings = {"sidecar-admin-port", "default-admin-port", "with-token", "two-instances-ips",
            "name-and-ip-instances", "builtin-gateway"})
    void generatesTheGoldenBootstrap(String name) throws Exception {
        Bootstrap bootstrap = generate(name);

        JsonNode tree = BootstrapResponse.tree(bootstrap);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), tree);
        // the golden itself, read back strictly, is the same Bootstrap
        assertParsesStrictly(GoldenFiles.readYaml(FOLDER.resolve(name + ".golden.yaml")), bootstrap);
        // so is the YAML the agent gets (kuma-dp parses it into the proto before it writes bootstrap.yaml)
        assertParsesStrictly(Json.yaml().readTree(BootstrapResponse.yaml(bootstrap)), bootstrap);
        StrictEnvoyProtos.assertAnysUnpack(bootstrap, "bootstrap", ANY_TYPES);
        assertStaticClustersNameTheirLoadAssignment(bootstrap);
    }

    @Test
    void aBuiltinGatewayGetsTheGatewayRuntimeLayerAndTheOverloadManagerOnlyWithAHeapLimit() throws Exception {
        Bootstrap gateway = generate("builtin-gateway");
        assertThat(gateway.getNode().getCluster()).isEqualTo("edge-gateway");
        assertThat(gateway.getLayeredRuntime().getLayersList()).extracting(RuntimeLayer::getName)
                .containsExactly("kuma", "gateway");
        assertThat(gateway.getLayeredRuntime().getLayers(1).getStaticLayer()
                .getFieldsOrThrow("overload.global_downstream_max_connections").getNumberValue()).isEqualTo(50000);
        assertThat(gateway.getOverloadManager().getResourceMonitors(0).getTypedConfig()
                .unpack(FixedHeapConfig.class).getMaxHeapSizeBytes()).isEqualTo(2_000_000);

        String noHeap = XdsFixtures.read(FOLDER.resolve("builtin-gateway.request.json"))
                .replace("\"maxHeapSizeBytes\": 2000000", "\"maxHeapSizeBytes\": 0");
        Bootstrap withoutLimit = new EnvoyBootstrapGenerator(BootstrapParams.of("10.0.0.1", 5678, SERVER_CA))
                .generate(BootstrapRequest.parse(noHeap), dataplane("builtin-gateway"));
        assertThat(withoutLimit.hasOverloadManager()).isFalse();
        assertThat(withoutLimit.getLayeredRuntime().getLayersCount()).isEqualTo(2);

        // a sidecar that reported a heap limit gets neither
        Bootstrap sidecar = generate("with-token");
        assertThat(request("with-token").maxHeapSizeBytes()).isPositive();
        assertThat(sidecar.hasOverloadManager()).isFalse();
        assertThat(sidecar.getLayeredRuntime().getLayersList()).extracting(RuntimeLayer::getName)
                .containsExactly("kuma");
    }

    @Test
    void takesTheAdminPortFromTheDataplane() throws Exception {
        Bootstrap bootstrap = generate("sidecar-admin-port");

        assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(9902);
        assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow("dataplane.admin.port").getStringValue())
                .isEqualTo("9902");
        assertThat(bootstrap.getNode().getCluster()).isEqualTo("api");
    }

    @Test
    void fallsBackToTheDefaultAdminPortAndLeavesTheAdminOutWhenItIsZero() throws Exception {
        assertThat(generate("default-admin-port").getAdmin().getAddress().getSocketAddress().getPortValue())
                .isEqualTo(9901);

        BootstrapRequest request = request("default-admin-port");
        Bootstrap withoutAdmin = new EnvoyBootstrapGenerator(
                BootstrapParams.of("cp", 5678, SERVER_CA).withDefaultAdminPort(0))
                .generate(request, dataplane("default-admin-port"));
        assertThat(withoutAdmin.hasAdmin()).isFalse();
        assertThat(withoutAdmin.getNode().getMetadata().getFieldsMap())
                .doesNotContainKeys("dataplane.admin.port", "dataplane.admin.address");
    }

    @Test
    void sendsTheTokenAsAuthorizationInitialMetadataOnlyWhenThereIsOne() throws Exception {
        assertThat(generate("with-token").getDynamicResources().getAdsConfig().getGrpcServices(0)
                .getInitialMetadataList())
                .singleElement()
                .satisfies(header -> {
                    assertThat(header.getKey()).isEqualTo("authorization");
                    assertThat(header.getValue()).startsWith("eyJhbGciOiJSUzI1NiIs");
                });
        assertThat(generate("sidecar-admin-port").getDynamicResources().getAdsConfig().getGrpcServices(0)
                .getInitialMetadataList()).isEmpty();
    }

    @Test
    void choosesTheAdsClusterTypeFromTheXdsHost() throws Exception {
        assertThat(adsCluster(generate("with-token")).getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(adsCluster(generate("sidecar-admin-port")).getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(EnvoyBootstrapGenerator.isIpLiteral("fd00::1")).isTrue();
        assertThat(EnvoyBootstrapGenerator.isIpLiteral("cp.example")).isFalse();
    }

    @Test
    void listsEveryControlPlaneInstanceInTheAdsClusterAndAcceptsACertificateNamingAnyOfThem() throws Exception {
        Cluster ips = adsCluster(generate("two-instances-ips"));
        assertThat(ips.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(endpoints(ips)).containsExactly("10.0.0.1:5678", "10.0.0.2:5678"); // no port: the DP server's

        Bootstrap mixed = generate("name-and-ip-instances");
        assertThat(adsCluster(mixed).getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(endpoints(adsCluster(mixed))).containsExactly("cp-1.ursa-system:5678", "10.0.0.2:5678");
        UpstreamTlsContext tls = adsCluster(mixed).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("cp-1.ursa-system");
        assertThat(mixed.getStaticResources().getSecrets(0).getValidationContext().getMatchSubjectAltNamesList())
                .extracting(matcher -> matcher.getExact()).containsExactly("cp-1.ursa-system", "10.0.0.2");

        // one instance, as before: one endpoint, one SAN
        Bootstrap one = generate("with-token");
        assertThat(endpoints(adsCluster(one))).containsExactly("10.0.0.1:5678");
        assertThat(one.getStaticResources().getSecrets(0).getValidationContext().getMatchSubjectAltNamesCount())
                .isEqualTo(1);
    }

    @Test
    void anInstanceNamedTwiceOrTheOneReachedIsListedOnce() {
        BootstrapParams params = BootstrapParams.of("10.0.0.1", 5678, SERVER_CA).withControlPlaneAddresses(List.of(
                new XdsAddress("10.0.0.1", 0), new XdsAddress("10.0.0.2", 5678), new XdsAddress("10.0.0.2", 0),
                new XdsAddress("10.0.0.3", 6000)));

        assertThat(params.xdsAddresses()).containsExactly(new XdsAddress("10.0.0.1", 5678),
                new XdsAddress("10.0.0.2", 5678), new XdsAddress("10.0.0.3", 6000));
    }

    @Test
    void trustsTheAgentsCaCertBeforeTheServers() throws Exception {
        String agentCa = generate("default-admin-port").getStaticResources().getSecrets(0).getValidationContext()
                .getTrustedCa().getInlineBytes().toStringUtf8();
        String serverCa = generate("with-token").getStaticResources().getSecrets(0).getValidationContext()
                .getTrustedCa().getInlineBytes().toStringUtf8();

        assertThat(agentCa).contains("AGENT-CA");
        assertThat(serverCa).isEqualTo(SERVER_CA);
    }

    @Test
    void answersWithBase64YamlAndTheSidecarConfiguration() throws Exception {
        Bootstrap bootstrap = generate("with-token");
        BootstrapResponse response = new BootstrapResponse(bootstrap,
                EnvoyBootstrapGenerator.usesTransparentProxy(dataplane("with-token").spec()),
                List.of(new BootstrapResponse.MetricsAggregate("app", "192.168.0.2", 9090, "/metrics")));

        JsonNode body = new ObjectMapper().readTree(response.toJson());

        String yaml = new String(Base64.getDecoder().decode(body.path("bootstrap").asText()), StandardCharsets.UTF_8);
        assertThat(yaml).isEqualTo(BootstrapResponse.yaml(bootstrap));
        assertThat(body.path("kumaSidecarConfiguration")).isEqualTo(new ObjectMapper().readTree("""
                {"networking": {"isUsingTransparentProxy": true},
                 "metrics": {"aggregate": [{"name": "app", "address": "192.168.0.2", "port": 9090,
                                            "path": "/metrics"}]}}"""));
        assertThat(EnvoyBootstrapGenerator.usesTransparentProxy(dataplane("sidecar-admin-port").spec())).isFalse();
    }

    @Test
    void refusesARequestForAnotherProxyOrAnotherProxyType() throws Exception {
        EnvoyBootstrapGenerator generator = new EnvoyBootstrapGenerator(BootstrapParams.of("cp", 5678, SERVER_CA));

        assertThatThrownBy(() -> generator.generate(request("with-token"), dataplane("sidecar-admin-port")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the request is for default.backend-1 but the Dataplane is default.web-1");
        BootstrapRequest ingress = BootstrapRequest.parse("{\"mesh\":\"default\",\"name\":\"web-1\","
                + "\"proxyType\":\"ingress\"}");
        assertThatThrownBy(() -> generator.generate(ingress, dataplane("sidecar-admin-port")))
                .hasMessage("unsupported proxyType: ingress (expected: dataplane)");
    }

    @Test
    void refusesBadParams() {
        assertThatThrownBy(() -> BootstrapParams.of("cp", 70000, SERVER_CA))
                .hasMessage("invalid xdsPort: 70000 (expected: 1-65535)");
        assertThatThrownBy(() -> BootstrapParams.of("", 5678, SERVER_CA))
                .hasMessageContaining("invalid xdsHost");
    }

    private static Bootstrap generate(String name) throws Exception {
        BootstrapParams params = BootstrapParams.of(XDS_HOSTS.get(name), 5678, SERVER_CA)
                .withControlPlaneAddresses(request(name).controlPlaneAddresses());
        return new EnvoyBootstrapGenerator(params).generate(request(name), dataplane(name));
    }

    private static BootstrapRequest request(String name) {
        return BootstrapRequest.parse(XdsFixtures.read(FOLDER.resolve(name + ".request.json")));
    }

    private static Resource<DataplaneSpec> dataplane(String name) {
        return XdsFixtures.parse(XdsFixtures.read(FOLDER.resolve(name + ".dataplane.yaml"))).get(0)
                .as(ResourceTypes.DATAPLANE);
    }

    private static List<String> endpoints(Cluster cluster) {
        return cluster.getLoadAssignment().getEndpointsList().stream()
                .flatMap(locality -> locality.getLbEndpointsList().stream())
                .map(lb -> lb.getEndpoint().getAddress().getSocketAddress())
                .map(address -> address.getAddress() + ":" + address.getPortValue())
                .toList();
    }

    private static Cluster adsCluster(Bootstrap bootstrap) {
        return bootstrap.getStaticResources().getClustersList().stream()
                .filter(c -> c.getName().equals(EnvoyNames.ADS_CLUSTER)).findFirst().orElseThrow();
    }

    /** Proto JSON → Bootstrap with unknown fields refused, equal to what was generated. */
    private static void assertParsesStrictly(JsonNode tree, Bootstrap expected) throws InvalidProtocolBufferException {
        Bootstrap.Builder parsed = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(REGISTRY).merge(tree.toString(), parsed);
        assertThat(parsed.build()).isEqualTo(expected);
    }

    private static void assertStaticClustersNameTheirLoadAssignment(Bootstrap bootstrap) {
        assertThat(bootstrap.getStaticResources().getClustersList()).extracting(Cluster::getName)
                .containsExactly(EnvoyNames.ACCESS_LOG_SINK_CLUSTER, EnvoyNames.ADS_CLUSTER);
        for (Cluster cluster : bootstrap.getStaticResources().getClustersList()) {
            assertThat(cluster.getLoadAssignment().getClusterName()).isEqualTo(cluster.getName());
        }
    }

    /** Every {@code Any}, at any depth, has a known type and unpacks to it. */
}
