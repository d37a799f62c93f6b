package io.ursa.apiserver;

import static io.ursa.apiserver.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.core.access.User;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The endpoints the GUI needs beyond Kuma's: who the caller is ({@code /who-am-i}), every resource type
 * ({@code /_resources}), and one resource as YAML or in Kubernetes form.
 */
class WhoAmIAndResourceFormsTest {

    @Test
    void whoAmISaysHowTheCallerWasAuthenticated() {
        try (TestServer loopback = TestServer.start();
             TestServer remote = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false),
                     DataplaneInsights.none())) {
            JsonNode admin = loopback.get("/who-am-i").json();
            JsonNode anonymous = remote.get("/who-am-i").json();
            JsonNode alice = remote.get("/who-am-i",
                    bearer(remote.tokenFor(new User("alice", List.of("team-a"))))).json();
            Reply forged = remote.get("/who-am-i", "Authorization", "Bearer not-a-token");

            assertThat(admin.path("name").asText()).isEqualTo(User.ADMIN_NAME);
            assertThat(admin.path("via").asText()).isEqualTo("loopback");
            assertThat(anonymous.path("name").asText()).isEqualTo(User.ANONYMOUS_NAME);
            assertThat(anonymous.path("via").asText()).isEqualTo("anonymous");
            assertThat(alice.path("name").asText()).isEqualTo("alice");
            assertThat(alice.path("via").asText()).isEqualTo("token");
            assertThat(texts(alice.path("groups"))).containsExactly("team-a", User.AUTHENTICATED_GROUP);
            assertThat(forged.status()).isEqualTo(401);
        }
    }

    @Test
    void resourcesListsEveryTypeWithItsPathAndScope() {
        try (TestServer api = TestServer.start()) {
            JsonNode resources = api.get("/_resources").json().path("resources");

            List<String> names = new ArrayList<>();
            resources.forEach(r -> names.add(r.path("name").asText()));
            assertThat(names).isSorted().contains("Mesh", "Dataplane", "Secret", "GlobalSecret", "TrafficPermission",
                    "MeshGateway");
            JsonNode mesh = find(resources, "Mesh");
            JsonNode permission = find(resources, "TrafficPermission");
            JsonNode gateway = find(resources, "MeshGateway");
            assertThat(mesh.path("path").asText()).isEqualTo("meshes");
            assertThat(mesh.path("scope").asText()).isEqualTo("Global");
            assertThat(mesh.has("policy")).isFalse();
            assertThat(permission.path("path").asText()).isEqualTo("traffic-permissions");
            assertThat(permission.path("scope").asText()).isEqualTo("Mesh");
            assertThat(permission.path("policy").path("isExperimental").asBoolean(true)).isFalse();
            assertThat(gateway.path("policy").path("isExperimental").asBoolean()).isTrue();
        }
    }

    @Test
    void aResourceIsAnsweredAsYamlAndInKubernetesFormOnRequest() {
        try (TestServer api = TestServer.start()) {
            api.seed(Fixtures.mesh("demo") + "---\n" + Fixtures.trafficPermission("demo", "allow"));
            String path = "/meshes/demo/traffic-permissions/allow";

            Reply json = api.get(path);
            Reply yaml = api.get(path + "?format=yaml");
            Reply kubernetes = api.get(path + "?format=yaml&form=kubernetes");
            Reply kubernetesJson = api.get(path + "?form=kubernetes");

            assertThat(json.json().path("type").asText()).isEqualTo("TrafficPermission");
            assertThat(yaml.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
            assertThat(yaml.body()).startsWith("type: TrafficPermission\n").contains("mesh: demo\n", "name: allow\n");
            assertThat(kubernetes.body()).contains("apiVersion: kuma.io/v1alpha1", "kind: TrafficPermission",
                    "mesh: demo").doesNotContain("type: TrafficPermission");
            assertThat(kubernetesJson.json().path("metadata").path("name").asText()).isEqualTo("allow");
            assertThat(yaml.header("ETag")).isEqualTo(json.header("ETag"));
        }
    }

    @Test
    void anUnknownFormOrFormatIs400NamingTheParameter() {
        try (TestServer api = TestServer.start()) {
            Reply form = api.get("/meshes/default?form=openapi");
            Reply format = api.get("/meshes/default?format=xml");

            assertThat(form.status()).isEqualTo(400);
            assertThat(form.causes()).containsExactly("form: must be one of: universal, kubernetes");
            assertThat(format.status()).isEqualTo(400);
            assertThat(format.causes()).containsExactly("format: must be one of: json, yaml");
        }
    }

    private static JsonNode find(JsonNode resources, String name) {
        for (JsonNode r : resources) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no " + name + " in " + resources);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
