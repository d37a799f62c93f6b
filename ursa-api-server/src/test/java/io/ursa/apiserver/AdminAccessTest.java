package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminAccessTest {
    private static final String SECRET = """
            type: Secret
            mesh: demo
            name: token
            data: c2VjcmV0
            """;
    private static final String DENIED = "user \"mesh-system:anonymous/mesh-system:unauthenticated\" cannot access "
            + "the resource of type \"Secret\"";

    @Test
    void secretsAreForbiddenToNonAdmins() {
        ApiServerConfig nobodyIsAdmin = new ApiServerConfig("127.0.0.1", 0, false,
                ApiServerConfig.DEFAULT_MAX_BODY_BYTES, List.of("*"), false);
        try (TestServer api = TestServer.start(nobodyIsAdmin, DataplaneInsights.none())) {
            api.seed(Fixtures.MESH_DEMO);
            api.seed(SECRET);
            Map<String, Long> before = api.storeContents();

            List<Reply> replies = List.of(
                    api.get("/meshes/demo/secrets"),
                    api.get("/secrets"),
                    api.get("/meshes/demo/secrets/token"),
                    api.putYaml("/meshes/demo/secrets/token", SECRET),
                    api.putYaml("/meshes/demo/secrets/other", SECRET.replace("token", "other")),
                    api.delete("/meshes/demo/secrets/token"));

            for (Reply reply : replies) {
                assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
                assertThat(reply.json().path("title").asText()).isEqualTo("Access Denied");
                assertThat(reply.json().path("details").asText()).isEqualTo(DENIED);
                assertThat(reply.json().has("causes")).isFalse();
            }
            assertThat(api.storeContents()).isEqualTo(before);
            GoldenJson.assertMatches(replies.get(0).body(), "testdata/api/error-access-denied.golden.json",
                    Scrubber.none());
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
        }
    }
}
