package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /meshes/{mesh}/service-insights[/{name}]} and {@code /service-insights} on a real server: mesh demo has
 * backend (backend-1 connected, backend-2 not), the gateway edge, web (web-1 connected) and the ExternalService
 * httpbin; mesh other has one more backend, not connected.
 */
class ServiceInsightEndpointsTest {
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private TestServer api;

    @BeforeEach
    void startServer() {
        connected.addAll(Set.of("demo/backend-1", "demo/web-1"));
        api = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false),
                new ConnectedDataplanes(connected));
        api.seed(Fixtures.MESH_DEMO);
        api.seed(Fixtures.MESH_OTHER);
        api.seed(Fixtures.DATAPLANES);
        api.seed(Fixtures.EXTERNAL_SERVICE);
        api.seed("""
                type: Dataplane
                mesh: other
                name: backend-9
                networking:
                  address: 192.168.1.9
                  inbound:
                  - port: 10000
                    tags:
                      kuma.io/service: backend
                """);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void listsEachServiceOfTheMeshWithItsDataplanesOnlineAndOffline() {
        Reply reply = api.get("/meshes/demo/service-insights");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        GoldenJson.assertMatches(reply.body(), "testdata/api/service-insights.golden.json",
                ResourceEndpointsTest.TIMES);
    }

    @Test
    void aServiceIsOfflineUntilOneOfItsDataplanesConnects() {
        connected.clear();
        Reply before = api.get("/meshes/demo/service-insights/backend");
        connected.add("demo/backend-2");
        Reply after = api.get("/meshes/demo/service-insights/backend");

        assertThat(before.status()).as(before.toString()).isEqualTo(200);
        assertThat(before.json().path("status").asText()).isEqualTo("offline");
        assertThat(before.json().path("dataplanes").toString()).isEqualTo("{\"total\":2,\"offline\":2}");
        assertThat(after.json().path("status").asText()).isEqualTo("partially_degraded");
        assertThat(after.json().path("dataplanes").toString()).isEqualTo("{\"total\":2,\"online\":1,\"offline\":1}");
        assertThat(after.json().path("type").asText()).isEqualTo("ServiceInsight");
        assertThat(after.json().path("mesh").asText()).isEqualTo("demo");
        assertThat(after.json().path("addressPort").asText()).isEqualTo("backend.mesh:80");
    }

    @Test
    void aServiceOfAnotherMeshIsNotCounted() {
        Reply other = api.get("/meshes/other/service-insights");

        assertThat(other.items("name")).containsExactly("backend");
        assertThat(other.json().at("/items/0/dataplanes/total").asLong()).isEqualTo(1);
        assertThat(other.json().at("/items/0/status").asText()).isEqualTo("offline");
    }

    @Test
    void listsEveryMeshsServicesAtTheTopLevel() {
        Reply reply = api.get("/service-insights");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("total").asLong()).isEqualTo(5);
        assertThat(reply.items("mesh")).containsExactly("demo", "demo", "demo", "demo", "other");
        assertThat(reply.items("name")).containsExactly("backend", "edge", "httpbin", "web", "backend");
    }

    @Test
    void pagesWithSizeAndOffset() {
        Reply first = api.get("/meshes/demo/service-insights?size=3");
        Reply last = api.get("/meshes/demo/service-insights?size=3&offset=3");
        Reply beyond = api.get("/meshes/demo/service-insights?offset=10");

        assertThat(first.json().path("total").asLong()).isEqualTo(4);
        assertThat(first.items("name")).containsExactly("backend", "edge", "httpbin");
        assertThat(first.json().path("next").asText())
                .isEqualTo(api.address() + "/meshes/demo/service-insights?offset=3&size=3");
        assertThat(last.items("name")).containsExactly("web");
        assertThat(last.json().path("next").isNull()).isTrue();
        assertThat(beyond.json().path("total").asLong()).isEqualTo(4);
        assertThat(beyond.json().path("items").isEmpty()).isTrue();
    }

    @Test
    void badPagingIsA400NamingTheParameter() {
        Reply size = api.get("/meshes/demo/service-insights?size=0");
        Reply offset = api.get("/meshes/demo/service-insights?offset=x");

        assertThat(size.status()).isEqualTo(400);
        assertThat(size.causes()).containsExactly("size: Invalid page size of 0. Minimum page size is 1");
        assertThat(offset.status()).isEqualTo(400);
        assertThat(offset.causes()).containsExactly("offset: Invalid format");
    }

    @Test
    void unknownServiceIs404AndUnknownMeshIs400AsForEveryMeshScopedEndpoint() {
        Reply service = api.get("/meshes/demo/service-insights/nothing");
        Reply list = api.get("/meshes/nowhere/service-insights");
        Reply one = api.get("/meshes/nowhere/service-insights/backend");

        assertThat(service.status()).isEqualTo(404);
        assertThat(service.json().path("title").asText()).isEqualTo("Could not retrieve a resource");
        assertThat(service.json().path("details").asText()).isEqualTo("Not found");
        assertThat(service.causes()).containsExactly("name: no Dataplane inbound, gateway or ExternalService of"
                + " mesh demo has service nothing");
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.causes()).containsExactly("mesh: mesh of name nowhere is not found");
        assertThat(one.status()).isEqualTo(400);
        assertThat(one.causes()).containsExactly("mesh: mesh of name nowhere is not found");
    }

    @Test
    void anonymousCallersReadThemAsTheyReadDataplanes() {
        assertThat(api.get("/meshes/demo/dataplanes").status()).isEqualTo(200);
        assertThat(api.get("/meshes/demo/service-insights").status()).isEqualTo(200);
        assertThat(api.get("/meshes/demo/service-insights/web").status()).isEqualTo(200);
    }
}
