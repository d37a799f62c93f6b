package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.ApiServer;
import io.ursa.apiserver.ApiServerConfig;
import io.ursa.apiserver.DataplaneInsights;
import io.ursa.apiserver.DataplaneInspector;
import io.ursa.apiserver.RequestObserver;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect services} and {@code inspect <policy> NAME} in-process against the real REST API server. Mesh
 * demo: backend-1 (connected) and backend-2 of backend, web-1 (connected) of web, the gateway edge, the
 * ExternalService httpbin; mesh other: backend-9 of backend. The xDS side is a stand-in whose matching is
 * {@link #HITS}: TrafficPermission backend-only hits the backends of demo (and, in mesh other, its own
 * backend-only hits backend-9), TrafficTrace tracing hits every Dataplane of demo as a whole.
 */
class InspectServicesAndPoliciesTest {
    private static final Set<String> CONNECTED = Set.of("demo/backend-1", "demo/web-1");
    private static final Map<String, List<String>> HITS = Map.of(
            "demo/backend-1", List.of("inbound 192.168.0.1:10000:10001 backend TrafficPermission/backend-only",
                    "service web web TrafficPermission/backend-only", "dataplane - - TrafficTrace/tracing"),
            "demo/backend-2", List.of("inbound 192.168.0.2:10000:10001 backend TrafficPermission/backend-only",
                    "dataplane - - TrafficTrace/tracing"),
            "demo/web-1", List.of("dataplane - - TrafficTrace/tracing"),
            "other/backend-9", List.of("inbound 192.168.1.9:10000:10000 backend TrafficPermission/backend-only"));
    private static final String INSIGHT = "{\"subscriptions\":[{\"id\":\"1\",\"controlPlaneInstanceId\":\"cp\","
            + "\"connectTime\":\"2024-05-01T11:00:00Z\",\"status\":{}}]}";

    @TempDir
    Path home;

    private ApiServer server;
    private CtlRunner ctl;

    @BeforeEach
    void startControlPlane() {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        for (JsonNode doc : codec.parseYamlDocuments(Golden.read("inspect-services.input.yaml"))) {
            upsert(manager, codec.decode(doc));
        }
        DataplaneInsights insights = (mesh, name) -> CONNECTED.contains(mesh + "/" + name)
                ? Optional.of(parse(INSIGHT)) : Optional.empty();
        server = new ApiServer(manager, ResourceTypes.standard(),
                ApiServerConfig.defaults().withAddress("127.0.0.1", 0), () -> Json.json().createObjectNode(),
                "0.0.0-test",
                new io.ursa.core.cluster.SingleInstanceCluster("test-instance", "test-host", "0.0.0-test",
                        Clock.systemUTC()), insights, new Matching(), List.of(), Clock.systemUTC(),
                RequestObserver.none());
        server.start();
        ctl = new CtlRunner(home);
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "test", "--address",
                "http://127.0.0.1:" + server.port());
        assertThat(added.exitCode()).as(added.toString()).isZero();
    }

    @AfterEach
    void stopControlPlane() {
        server.close();
    }

    @Test
    void inspectServicesShowsEachServiceWithItsDataplanesOnlineOverTotal() {
        CtlRunner.Result result = ctl.run("inspect", "services", "--mesh", "demo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.out(), "inspect-services.golden.txt");
    }

    @Test
    void inspectServicesShowsOnlyTheServicesOfTheMeshAsked() {
        CtlRunner.Result result = ctl.run("inspect", "services", "-m", "other");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("""
                SERVICE   STATUS    DATAPLANES
                backend   Offline   0/1
                """);
    }

    @Test
    void inspectServicesPrintsTheInsightsAsTheApiAnswersThemInJsonAndYaml() {
        JsonNode json = parse(ctl.run("inspect", "services", "-m", "demo", "-o", "json").out());
        CtlRunner.Result yaml = ctl.run("inspect", "services", "-m", "demo", "-o", "yaml");

        assertThat(json.path("total").asInt()).isEqualTo(4);
        assertThat(json.at("/items/0/status").asText()).isEqualTo("partially_degraded");
        assertThat(json.at("/items/0/dataplanes").toString()).isEqualTo("{\"total\":2,\"online\":1,\"offline\":1}");
        assertThat(yaml.out()).startsWith("total: 4\nitems:\n- type: ServiceInsight\n  mesh: demo\n  name: backend\n");
        assertThat(yaml.out()).contains("  serviceType: external\n", "  status: not_available\n");
    }

    @Test
    void inspectServicesOfAnUnknownMeshFailsNamingIt() {
        CtlRunner.Result result = ctl.run("inspect", "services", "-m", "nowhere");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error: failed to list ServiceInsight: ")
                .contains("mesh of name nowhere is not found");
    }

    @Test
    void inspectPolicyListsTheDataplanesItHitsAndWhereAsKumactl() {
        CtlRunner.Result result = ctl.run("inspect", "traffic-permission", "backend-only", "--mesh", "demo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.out(), "inspect-traffic-permission.golden.txt");
    }

    @Test
    void inspectPolicyHitOnlyAsAWholeListsTheDataplanesAlone() {
        CtlRunner.Result result = ctl.run("inspect", "traffic-trace", "tracing", "-m", "demo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.out(), "inspect-traffic-trace.golden.txt");
    }

    @Test
    void inspectPolicyShowsTheDataplanesOfItsOwnMeshOnly() {
        CtlRunner.Result result = ctl.run("inspect", "traffic-permission", "backend-only", "-m", "other", "-o",
                "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode answer = parse(result.out());
        assertThat(answer.path("total").asInt()).isEqualTo(1);
        assertThat(answer.at("/items/0/dataplane").toString())
                .isEqualTo("{\"mesh\":\"other\",\"name\":\"backend-9\"}");
    }

    @Test
    void inspectPolicyThatHitsNothingSaysSoAndYamlIsTheApisAnswer() {
        CtlRunner.Result text = ctl.run("inspect", "traffic-permission", "unused", "-m", "demo");
        CtlRunner.Result yaml = ctl.run("inspect", "traffic-permission", "unused", "-m", "demo", "-o", "yaml");

        assertThat(text.out()).isEqualTo("Affected data plane proxies:\n\n");
        assertThat(yaml.out()).isEqualTo("total: 0\nitems: []\n");
    }

    @Test
    void inspectUnknownPolicyFailsNamingIt() {
        CtlRunner.Result result = ctl.run("inspect", "traffic-permission", "ghost", "-m", "demo");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: failed to inspect TrafficPermission \"ghost\" in mesh \"demo\": ")
                .contains("Not found");
    }

    @Test
    void anUnknownPolicyTypeSuggestsTheClosestCommand() {
        CtlRunner.Result result = ctl.run("inspect", "traffic-permision", "backend-only");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("traffic-permision").contains("traffic-permission");
    }

    @Test
    void inspectHelpListsServicesAndEveryInspectablePolicyButNoOtherType() {
        CtlRunner.Result result = ctl.run("inspect", "--help");

        assertThat(result.out()).contains("  services ", "  traffic-permission ", "  traffic-route ",
                "  healthcheck ", "  proxytemplate ", "  rate-limit ");
        assertThat(result.out()).doesNotContain("external-service", "virtual-outbound");
    }

    /** Policy matching as {@link #HITS} says. */
    private static final class Matching implements DataplaneInspector {
        @Override
        public Optional<JsonNode> servedConfig(String mesh, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<JsonNode> matchedPolicies(String mesh, String name) {
            List<String> lines = HITS.get(mesh + "/" + name);
            if (lines == null) {
                return Optional.empty();
            }
            ObjectNode answer = Json.json().createObjectNode().put("kind", "SidecarDataplane");
            ArrayNode items = answer.putArray("items");
            for (String line : lines) {
                String[] parts = line.split(" ");
                String[] policy = parts[3].split("/");
                ObjectNode item = items.addObject().put("type", parts[0])
                        .put("name", parts[1].equals("-") ? "" : parts[1])
                        .put("service", parts[2].equals("-") ? "" : parts[2]);
                item.putObject("matchedPolicies").putArray(policy[0]).addObject().put("type", policy[0])
                        .put("mesh", mesh).put("name", policy[1]);
            }
            return Optional.of(answer.put("total", items.size()));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.json().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ResourceManager manager, Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
