package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CORS allows the listed origins and no other; it never makes a foreign page the admin. */
class CorsTest {
    private static Reply preflight(TestServer api, String origin) {
        return api.send(api.request("/meshes/demo/traffic-logs/x")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
    }

    @Test
    void aListedOriginIsAllowedAndEveryOtherGetsNoAllowHeader() {
        ApiServerConfig config = ApiServerConfig.defaults().withCorsAllowedOrigins(List.of("https://gui.example:8443"));
        try (TestServer api = TestServer.start(config, DataplaneInsights.none())) {
            api.seed(Fixtures.MESH_DEMO);

            Reply allowed = preflight(api, "https://GUI.example:8443");
            Reply evil = preflight(api, "http://evil.example");
            Reply get = api.get("/meshes/demo", "Origin", "https://gui.example:8443");
            Reply evilGet = api.get("/meshes/demo", "Origin", "http://evil.example");

            assertThat(allowed.status()).isEqualTo(204);
            assertThat(allowed.header("Access-Control-Allow-Origin")).contains("https://GUI.example:8443");
            assertThat(allowed.header("Access-Control-Allow-Methods")).contains("GET, PUT, DELETE, POST");
            assertThat(allowed.header("Access-Control-Allow-Headers")).contains("Authorization, Content-Type, If-Match");
            assertThat(evil.header("Access-Control-Allow-Origin")).isEmpty();
            assertThat(evil.header("Access-Control-Allow-Methods")).isEmpty();
            assertThat(get.header("Access-Control-Allow-Origin")).contains("https://gui.example:8443");
            assertThat(get.header("Access-Control-Expose-Headers")).contains("ETag");
            assertThat(evilGet.header("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void anyOriginWithStarButAForeignPageIsStillNotTheAdmin() {
        ApiServerConfig config = ApiServerConfig.defaults().withCorsAllowedOrigins(List.of("*"));
        try (TestServer api = TestServer.start(config, DataplaneInsights.none())) {
            api.seed(Fixtures.MESH_DEMO);

            Reply preflight = preflight(api, "http://evil.example");
            Reply put = api.putYaml("/meshes/demo/traffic-logs/x", Fixtures.trafficLog("demo", "x"),
                    "Origin", "http://evil.example");

            assertThat(preflight.header("Access-Control-Allow-Origin")).contains("*");
            assertThat(put.status()).isEqualTo(403);
            assertThat(put.header("Access-Control-Allow-Origin")).contains("*");
        }
    }

    @Test
    void corsIsOffByDefaultForEveryOrigin() {
        try (TestServer api = TestServer.start()) {
            api.seed(Fixtures.MESH_DEMO);

            assertThat(preflight(api, "http://evil.example").header("Access-Control-Allow-Origin")).isEmpty();
            assertThat(preflight(api, api.address()).header("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void anAllowedOriginMustBeAnOrigin() {
        assertThatThrownBy(() -> ApiServerConfig.defaults().withCorsAllowedOrigins(List.of("gui.example")))
                .hasMessage("invalid CORS allowed origin: \"gui.example\" (expected: \"*\" or an origin such as"
                        + " \"https://gui.example:8443\")");
        assertThatThrownBy(() -> ApiServerConfig.defaults().withCorsAllowedOrigins(List.of("https://gui.example/x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
