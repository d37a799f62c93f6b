package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.bootstrap.AdsProtocol;
import io.ursa.xds.names.EnvoyNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** What {@code POST /bootstrap} answers to requests it cannot serve, and where it tells Envoy to find ADS. */
class BootstrapEndpointTest {
    private static final String DATAPLANE = "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"web-1\","
            + "\"networking\":{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":8080,\"tags\":"
            + "{\"kuma.io/service\":\"web\"}}]}}";

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(),
            List.of());

    @Test
    void requiresATokenWhenProxiesAuthenticateWithTokens() {
        HttpAnswer answer = endpoint(XdsServerConfig.Auth.DP_TOKEN).handle(post("{\"mesh\":\"default\","
                + "\"name\":\"web-1\"}"));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).startsWith("Dataplane Token is required")
                .contains("ursactl generate dataplane-token");
    }

    @Test
    void givesAZoneEgressItsBootstrapWithoutAMesh() throws Exception {
        String egress = "{\"type\":\"ZoneEgress\",\"name\":\"egress-1\",\"networking\":{\"address\":"
                + "\"10.0.0.9\",\"port\":10002,\"admin\":{\"port\":9902}}}";
        String body = new ObjectMapper().writeValueAsString(Map.of("name", "egress-1", "proxyType", "egress",
                "dataplaneResource", egress));

        HttpAnswer answer = endpoint(XdsServerConfig.Auth.NONE).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "cp.internal:5678"), body));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("id: .egress-1").contains("cluster: egress").contains("portValue: 9902");
        assertThat(manager.get(ResourceTypes.ZONE_EGRESS, "", "egress-1")).as("registered on connect only")
                .isEmpty();
        HttpAnswer invalid = endpoint(XdsServerConfig.Auth.NONE).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "cp.internal:5678"), body.replace("10002", "70000")));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body()).contains("networking.port");
        HttpAnswer ingress = endpoint(XdsServerConfig.Auth.NONE).handle(post("{\"mesh\":\"default\","
                + "\"name\":\"in-1\",\"proxyType\":\"ingress\"}"));
        assertThat(ingress.status()).isEqualTo(422);
        assertThat(ingress.body()).contains("zone ingress proxies are not supported");
    }

    @Test
    void answersClientMistakesWithTheirReason() {
        BootstrapEndpoint endpoint = endpoint(XdsServerConfig.Auth.NONE);

        assertThat(endpoint.handle(new HttpCall("GET", "/bootstrap", Map.of(), ""))).satisfies(a -> {
            assertThat(a.status()).isEqualTo(405);
            assertThat(a.body()).contains("expected: POST");
        });
        assertThat(endpoint.handle(new HttpCall("POST", "/meshes", Map.of(), "")))
                .isEqualTo(HttpAnswer.text(404, BootstrapEndpoint.NOT_FOUND_TEXT));
        assertThat(endpoint.handle(post("{not json")).status()).isEqualTo(400);
        assertThat(endpoint.handle(post("{\"mesh\":\"default\",\"name\":\"Web 1\"}"))).satisfies(a -> {
            assertThat(a.status()).isBetween(400, 422);
            assertThat(a.body()).contains("name");
        });
    }

    @Test
    void pointsEnvoyAtTheHostItDialledOrTheConfiguredOne() throws Exception {
        apply("{\"type\":\"Mesh\",\"name\":\"default\"}");
        String body = new ObjectMapper().writeValueAsString(
                Map.of("mesh", "default", "name", "web-1", "dataplaneResource", DATAPLANE));

        HttpAnswer dialled = endpoint(XdsServerConfig.Auth.NONE).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "cp.internal:5678"), body));
        HttpAnswer configured = new BootstrapEndpoint(manager, codec, lifecycle(), Optional.of("10.9.9.9"),
                () -> 15678, XdsServerConfig.Auth.NONE, 9901, AdsProtocol.SOTW, DpTransport.plaintext())
                .handle(new HttpCall("POST", "/bootstrap", Map.of("Host", "cp.internal:5678"), body));

        assertThat(dialled.status()).as(dialled.body()).isEqualTo(200);
        assertThat(dialled.contentType()).isEqualTo("text/x-yaml");
        assertThat(dialled.body()).contains("address: cp.internal").contains("portValue: 5678");
        assertThat(configured.body()).contains("address: 10.9.9.9").contains("portValue: 15678");
        assertThat(dialled.body()).as("a plaintext DP server: no TLS to it")
                .doesNotContain("envoy.transport_sockets.tls").doesNotContain(EnvoyNames.CP_VALIDATION_SECRET);
    }

    @Test
    void givesEnvoyTheAdsVariantTheAgentAsksForElseTheConfiguredOne() throws Exception {
        apply("{\"type\":\"Mesh\",\"name\":\"default\"}");
        BootstrapEndpoint deltaByDefault = new BootstrapEndpoint(manager, codec, lifecycle(), Optional.empty(),
                () -> 5678, XdsServerConfig.Auth.NONE, 9901, AdsProtocol.DELTA, DpTransport.plaintext());
        ObjectMapper json = new ObjectMapper();
        Map<String, String> host = Map.of("Host", "cp.internal:5678");
        String plain = json.writeValueAsString(Map.of("mesh", "default", "name", "web-1",
                "dataplaneResource", DATAPLANE));
        String askingSotw = json.writeValueAsString(Map.of("mesh", "default", "name", "web-1",
                "dataplaneResource", DATAPLANE, "xdsProtocol", "sotw"));
        String askingUnknown = json.writeValueAsString(Map.of("mesh", "default", "name", "web-1",
                "dataplaneResource", DATAPLANE, "xdsProtocol", "incremental"));

        HttpAnswer configured = deltaByDefault.handle(new HttpCall("POST", "/bootstrap", host, plain));
        HttpAnswer asked = deltaByDefault.handle(new HttpCall("POST", "/bootstrap", host, askingSotw));
        HttpAnswer unknown = deltaByDefault.handle(new HttpCall("POST", "/bootstrap", host, askingUnknown));

        assertThat(configured.status()).as(configured.body()).isEqualTo(200);
        assertThat(configured.body()).contains("apiType: DELTA_GRPC");
        assertThat(asked.body()).contains("apiType: GRPC").doesNotContain("DELTA_GRPC");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("xdsProtocol: unknown xDS protocol: \"incremental\" (expected: sotw or"
                + " delta)");
    }

    @Test
    void listsEveryInstanceTheAgentNamesUnlessTheXdsHostIsConfigured() throws Exception {
        apply("{\"type\":\"Mesh\",\"name\":\"default\"}");
        String body = new ObjectMapper().writeValueAsString(Map.of("mesh", "default", "name", "web-1",
                "dataplaneResource", DATAPLANE, "controlPlaneAddresses",
                List.of("http://cp-1.internal:5678", "http://cp-2.internal", "http://10.0.0.3:6000")));

        HttpAnswer dialled = endpoint(XdsServerConfig.Auth.NONE).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "cp-1.internal:5678"), body));
        HttpAnswer configured = new BootstrapEndpoint(manager, codec, lifecycle(), Optional.of("cp.internal"),
                () -> 5678, XdsServerConfig.Auth.NONE, 9901, AdsProtocol.SOTW, DpTransport.plaintext())
                .handle(new HttpCall("POST", "/bootstrap", Map.of("Host", "cp-1.internal:5678"), body));

        assertThat(dialled.status()).as(dialled.body()).isEqualTo(200);
        assertThat(dialled.body()).contains("address: cp-1.internal").contains("address: cp-2.internal")
                .contains("address: 10.0.0.3").contains("portValue: 6000").contains("type: STRICT_DNS");
        assertThat(dialled.body().split("address: cp-1.internal", -1)).as("the instance reached is listed once")
                .hasSize(2);
        assertThat(configured.body()).contains("address: cp.internal").doesNotContain("cp-2.internal")
                .doesNotContain("10.0.0.3");
        HttpAnswer bad = endpoint(XdsServerConfig.Auth.NONE).handle(post(
                "{\"mesh\":\"default\",\"name\":\"web-1\",\"controlPlaneAddresses\":[\"cp-2:5678\"]}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("controlPlaneAddresses[0]").contains("invalid URL: \"cp-2:5678\"");
    }

    @Test
    void tellsTheAgentWhichEnabledApplicationMetricsToMergeOnTheDataplanesAddress() throws Exception {
        apply("{\"type\":\"Mesh\",\"name\":\"default\",\"metrics\":{\"enabledBackend\":\"prom\","
                + "\"backends\":[{\"name\":\"prom\",\"type\":\"prometheus\",\"conf\":{\"aggregate\":["
                + "{\"name\":\"app\",\"port\":9100,\"path\":\"/metrics\"},"
                + "{\"name\":\"off\",\"port\":9200,\"path\":\"/stats\",\"enabled\":false}]}}]}}");

        HttpAnswer answer = endpoint(XdsServerConfig.Auth.NONE).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "127.0.0.1:5678", "Accept", "application/json"), dataplaneRequest()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode sidecar = new ObjectMapper().readTree(answer.body()).get("kumaSidecarConfiguration");
        assertThat(sidecar.at("/metrics/aggregate")).hasSize(1);
        assertThat(sidecar.at("/metrics/aggregate/0/name").asText()).isEqualTo("app");
        assertThat(sidecar.at("/metrics/aggregate/0/address").asText()).isEqualTo("10.0.0.1");
        assertThat(sidecar.at("/metrics/aggregate/0/port").asInt()).isEqualTo(9100);
        assertThat(sidecar.at("/metrics/aggregate/0/path").asText()).isEqualTo("/metrics");
    }

    @Test
    void overTlsTheAdsClusterTrustsTheControlPlanesCaAndChecksItsName() throws Exception {
        apply("{\"type\":\"Mesh\",\"name\":\"default\"}");

        HttpAnswer answer = tlsEndpoint(Optional.empty()).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "localhost:5678"), dataplaneRequest()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode statics = new ObjectMapper(new YAMLFactory()).readTree(answer.body()).get("staticResources");
        JsonNode ads = StreamSupport.stream(statics.get("clusters").spliterator(), false)
                .filter(c -> c.get("name").asText().equals(EnvoyNames.ADS_CLUSTER)).findFirst().orElseThrow();
        assertThat(ads.at("/transportSocket/name").asText()).isEqualTo("envoy.transport_sockets.tls");
        assertThat(ads.at("/transportSocket/typedConfig/sni").asText()).isEqualTo("localhost");
        JsonNode validation = statics.get("secrets").get(0);
        assertThat(validation.get("name").asText()).isEqualTo(EnvoyNames.CP_VALIDATION_SECRET);
        assertThat(new String(Base64.getDecoder().decode(validation.at("/validationContext/trustedCa/inlineBytes")
                .asText()), StandardCharsets.US_ASCII)).isEqualTo(TestTls.MATERIAL.caCertificatePem());
        assertThat(validation.at("/validationContext/matchSubjectAltNames/0/exact").asText()).isEqualTo("localhost");
    }

    @Test
    void overTlsRefusesAHostTheCertificateDoesNotName() {
        apply("{\"type\":\"Mesh\",\"name\":\"default\"}");

        HttpAnswer answer = tlsEndpoint(Optional.empty()).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "cp.internal:5678"), dataplaneRequest()));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("using \"cp.internal\"")
                .contains("its subject alternative names are [localhost, 127.0.0.1, ::1]")
                .contains("URSA_GENERAL_TLS_SUBJECT_ALT_NAMES")
                .contains("URSA_BOOTSTRAP_SERVER_PARAMS_XDS_HOST");
    }

    @Test
    void overTlsAConfiguredXdsHostIsNotChecked() {
        apply("{\"type\":\"Mesh\",\"name\":\"default\"}");

        HttpAnswer answer = tlsEndpoint(Optional.of("cp.internal")).handle(new HttpCall("POST", "/bootstrap",
                Map.of("Host", "10.1.1.1:5678"), dataplaneRequest()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("address: cp.internal").contains("envoy.transport_sockets.tls");
    }

    @Test
    void readsTheHostOfAHostHeader() {
        assertThat(BootstrapEndpoint.hostOf("cp.example:5678")).isEqualTo("cp.example");
        assertThat(BootstrapEndpoint.hostOf("[::1]:5678")).isEqualTo("::1");
        assertThat(BootstrapEndpoint.hostOf("10.0.0.1")).isEqualTo("10.0.0.1");
    }

    private BootstrapEndpoint endpoint(XdsServerConfig.Auth auth) {
        return new BootstrapEndpoint(manager, codec, lifecycle(), Optional.empty(), () -> 5678, auth, 9901,
                AdsProtocol.SOTW, DpTransport.plaintext());
    }

    private BootstrapEndpoint tlsEndpoint(Optional<String> xdsHost) {
        return new BootstrapEndpoint(manager, codec, lifecycle(), xdsHost, () -> 5678, XdsServerConfig.Auth.NONE,
                9901, AdsProtocol.SOTW, TestTls.transport());
    }

    private static String dataplaneRequest() {
        try {
            return new ObjectMapper().writeValueAsString(
                    Map.of("mesh", "default", "name", "web-1", "dataplaneResource", DATAPLANE));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private DataplaneLifecycle lifecycle() {
        return new DataplaneLifecycle(manager, codec, Duration.ofSeconds(10),
                new MemoryProxyConnections(Clock.systemUTC()), TestCluster.alone("cp-1"), key -> false,
                Clock.systemUTC());
    }

    private static HttpCall post(String body) {
        return new HttpCall("POST", "/bootstrap", Map.of("Host", "127.0.0.1:5678"), body);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(String json) {
        Resource resource = codec.decode(codec.parseJson(json));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
