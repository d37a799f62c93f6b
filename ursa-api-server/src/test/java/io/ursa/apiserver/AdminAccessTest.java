package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay with those whose role may write them: anonymous callers get 403 for every read and write (here the
 * anonymous caller is faked by turning {@code localhostIsAdmin} off; the loopback rule itself is tested in
 * {@code LoopbackAdminTest}), and loopback callers are the admin by default.
 */
class AdminAccessTest {
    private static final String SECRET = """
            type: Secret
            mesh: demo
            name: token
            data: c2VjcmV0
            """;
    private static final String ANONYMOUS = "user \"mesh-system:anonymous/mesh-system:unauthenticated\" cannot ";

    @Test
    void secretsAreForbiddenToNonAdmins() {
        ApiServerConfig nobodyIsAdmin = ApiServerConfig.defaults().withLocalhostIsAdmin(false);
        try (TestServer api = TestServer.start(nobodyIsAdmin, DataplaneInsights.none())) {
            api.seed(Fixtures.MESH_DEMO);
            api.seed(SECRET);
            Map<String, Long> before = api.storeContents();

            Map<Reply, String> replies = Map.of(
                    api.get("/meshes/demo/secrets"), "READ every Secret in mesh \"demo\"",
                    api.get("/secrets"), "READ every Secret in every mesh",
                    api.get("/meshes/demo/secrets/token"), "READ Secret \"token\" in mesh \"demo\"",
                    api.putYaml("/meshes/demo/secrets/token", SECRET),
                    "CREATE or UPDATE Secret \"token\" in mesh \"demo\"",
                    api.putYaml("/meshes/demo/secrets/other", SECRET.replace("token", "other")),
                    "CREATE or UPDATE Secret \"other\" in mesh \"demo\"",
                    api.delete("/meshes/demo/secrets/token"), "DELETE Secret \"token\" in mesh \"demo\"",
                    api.get("/global-secrets/user-token-signing-key-1"), "READ GlobalSecret \"user-token-signing-key-1\"");

            replies.forEach((reply, denied) -> {
                assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
                assertThat(reply.json().path("title").asText()).isEqualTo("Access Denied");
                assertThat(reply.json().path("details").asText()).isEqualTo(ANONYMOUS + denied);
                assertThat(reply.json().has("causes")).isFalse();
            });
            assertThat(api.storeContents()).isEqualTo(before);
            GoldenJson.assertMatches(api.get("/meshes/demo/secrets").body(),
                    "testdata/api/error-access-denied.golden.json", Scrubber.none());
            assertThat(api.get("/meshes/demo/traffic-logs").status()).as("other types stay open").isEqualTo(200);
        }
    }

    @Test
    void loopbackClientsAreAdminByDefault() {
        try (TestServer api = TestServer.start()) {
            api.seed(Fixtures.MESH_DEMO);

            Reply created = api.putYaml("/meshes/demo/secrets/token", SECRET);
            Reply read = api.get("/meshes/demo/secrets/token");

            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(read.json().path("data").asText()).isEqualTo("c2VjcmV0");
            assertThat(api.get("/global-secrets").items("name")).as("the admin lists global secrets")
                    .contains("user-token-signing-key-1");
        }
    }

    @Test
    void withoutAnyRoleNotEvenTheAdminMayWrite() {
        try (TestServer api = TestServer.start()) {
            api.seed(Fixtures.MESH_DEMO);
            api.manager.delete(io.ursa.api.resource.ResourceTypes.ACCESS_ROLE_BINDING, "", "default");

            Reply denied = api.putYaml("/meshes/demo/traffic-logs/x", Fixtures.trafficLog("demo", "x"));

            assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
            assertThat(denied.json().path("details").asText()).isEqualTo("user \"mesh-system:admin/mesh-system:admin\""
                    + " cannot CREATE TrafficLog \"x\" in mesh \"demo\"");
            assertThat(List.of(api.get("/meshes/demo").status())).as("reads stay open").containsExactly(200);
        }
    }
}
