package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect dataplane} in-process against the real REST API server, whose xDS side is a stand-in: it knows
 * Dataplane web-1 of mesh demo only, connected and matched by the policies of the rendering golden.
 */
class InspectDataplaneCommandTest {
    private static final String SERVED = "{\"nodeId\":\"demo.web-1\",\"versions\":{\"lds\":\"v1\"},"
            + "\"resources\":[{\"type\":\"lds\",\"name\":\"inbound:192.168.0.1:8080\",\"resource\":{}}]}";

    @TempDir
    Path home;

    private ApiServer server;
    private CtlRunner ctl;

    @BeforeEach
    void startControlPlane() {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        for (JsonNode doc : codec.parseYamlDocuments("""
                type: Mesh
                name: demo
                ---
                type: Dataplane
                mesh: demo
                name: web-1
                networking: {address: 192.168.0.1, inbound: [{port: 8080, tags: {kuma.io/service: web}}]}
                ---
                type: Dataplane
                mesh: demo
                name: web-2
                networking: {address: 192.168.0.2, inbound: [{port: 8080, tags: {kuma.io/service: web}}]}
                """)) {
            upsert(manager, codec.decode(doc));
        }
        server = new ApiServer(manager, ResourceTypes.standard(),
                ApiServerConfig.defaults().withAddress("127.0.0.1", 0), () -> Json.json().createObjectNode(),
                "0.0.0-test",
                new io.ursa.core.cluster.SingleInstanceCluster("test-instance", "test-host", "0.0.0-test",
                        Clock.systemUTC()), DataplaneInsights.none(), new WebOneOfDemo(), List.of(),
                Clock.systemUTC(), RequestObserver.none());
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
    void printsThePoliciesThatMatchAsTextByDefault() {
        CtlRunner.Result result = ctl.run("inspect", "dataplane", "web-1", "--mesh", "demo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(Golden.read("inspect-dataplane-policies.golden.txt"));
    }

    @Test
    void printsThePoliciesAsTheApiAnswersThemInYaml() {
        CtlRunner.Result result = ctl.run("inspect", "dataplane", "web-1", "-m", "demo", "-o", "yaml");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("kind: SidecarDataplane\ntotal: 9\nitems:\n- type: dataplane\n");
    }

    @Test
    void printsTheServedConfigurationAsJson() throws Exception {
        CtlRunner.Result result = ctl.run("inspect", "dataplane", "web-1", "-m", "demo", "--type", "config-dump");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Json.json().readTree(result.out())).isEqualTo(Json.json().readTree(SERVED));
        assertThat(result.out()).startsWith("{\n  \"nodeId\": \"demo.web-1\",\n");
    }

    @Test
    void saysWhenTheProxyIsNotConnected() {
        CtlRunner.Result result = ctl.run("inspect", "dataplane", "web-2", "-m", "demo", "--type", "config-dump");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("failed to inspect Dataplane \"web-2\" in mesh \"demo\": Could not get"
                + " config_dump (Dataplane web-2 in mesh demo is not connected to this control plane");
    }

    @Test
    void refusesKumactlsEnvoyAdminTypes() {
        CtlRunner.Result result = ctl.run("inspect", "dataplane", "web-1", "-m", "demo", "--type", "stats");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("invalid inspection type: \"stats\" (expected: policies or config-dump");
    }

    /** The xDS side of a control plane where only demo/web-1 is connected. */
    private static final class WebOneOfDemo implements DataplaneInspector {
        @Override
        public Optional<JsonNode> servedConfig(String mesh, String name) {
            return isWebOne(mesh, name) ? Optional.of(parse(SERVED)) : Optional.empty();
        }

        @Override
        public Optional<JsonNode> matchedPolicies(String mesh, String name) {
            return isWebOne(mesh, name) ? Optional.of(parse(Golden.read("inspect-dataplane-policies.input.json")))
                    : Optional.empty();
        }

        private static boolean isWebOne(String mesh, String name) {
            return mesh.equals("demo") && name.equals("web-1");
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.json().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ResourceManager manager, Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
