package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspect endpoints of a policy on the whole control plane, with the xDS server's real policy matching: a
 * policy hits exactly the Dataplanes its selectors match, in its own mesh, and the Dataplanes' own inspect answers
 * agree.
 */
class PolicyInspectionTest {
    private static final String RESOURCES = """
            type: Mesh
            name: demo
            skipCreatingInitialPolicies: ["*"]
            ---
            type: Mesh
            name: other
            skipCreatingInitialPolicies: ["*"]
            ---
            type: Dataplane
            mesh: demo
            name: backend-1
            networking:
              address: 10.0.0.1
              inbound:
              - port: 8080
                tags: {kuma.io/service: backend}
            ---
            type: Dataplane
            mesh: demo
            name: backend-2
            networking:
              address: 10.0.0.2
              inbound:
              - port: 8080
                tags: {kuma.io/service: backend}
            ---
            type: Dataplane
            mesh: demo
            name: web-1
            networking:
              address: 10.0.0.3
              inbound:
              - port: 8080
                tags: {kuma.io/service: web}
            ---
            type: Dataplane
            mesh: other
            name: backend-9
            networking:
              address: 10.0.1.9
              inbound:
              - port: 8080
                tags: {kuma.io/service: backend}
            ---
            type: TrafficPermission
            mesh: demo
            name: to-backend
            sources:
            - match: {kuma.io/service: '*'}
            destinations:
            - match: {kuma.io/service: backend}
            ---
            type: TrafficPermission
            mesh: other
            name: to-backend
            sources:
            - match: {kuma.io/service: '*'}
            destinations:
            - match: {kuma.io/service: '*'}
            """;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPolicyHitsExactlyTheDataplanesItsSelectorsMatchInItsMesh(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, Map.of("URSA_API_SERVER_HTTP_PORT", "0",
                "URSA_API_SERVER_HTTPS_PORT", "0", "URSA_DIAGNOSTICS_SERVER_PORT", "0", "URSA_DP_SERVER_PORT", "0",
                "URSA_STORE_TYPE", "memory", "URSA_DP_SERVER_AUTH_TYPE", "none",
                "URSA_STORE_EMBEDDED_DIR", dir.toString()))) {
            ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
            for (JsonNode doc : codec.parseYamlDocuments(RESOURCES)) {
                upsert(cp, codec.decode(doc));
            }
            String api = "http://127.0.0.1:" + cp.apiPort() + "/meshes/";

            JsonNode demo = get(api + "demo/traffic-permissions/to-backend/dataplanes");
            JsonNode other = get(api + "other/traffic-permissions/to-backend/dataplanes");

            assertThat(demo.path("total").asInt()).isEqualTo(2);
            assertThat(names(demo)).containsExactly("demo/backend-1", "demo/backend-2");
            assertThat(demo.at("/items/0/attachments").toString())
                    .isEqualTo("[{\"type\":\"inbound\",\"name\":\"10.0.0.1:8080:8080\",\"service\":\"backend\"}]");
            assertThat(names(other)).containsExactly("other/backend-9");
            assertThat(get(api + "demo/dataplanes/backend-1/policies").toString()).contains("\"to-backend\"");
            assertThat(get(api + "demo/dataplanes/web-1/policies").toString()).doesNotContain("\"to-backend\"");
        }
    }

    private static List<String> names(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("items").forEach(item -> names.add(item.at("/dataplane/mesh").asText() + "/"
                + item.at("/dataplane/name").asText()));
        return names;
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return Json.json().readTree(response.body());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ControlPlane cp, Resource resource) {
        cp.manager().upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
