package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /zoneegresses}: CRUD of the global ZoneEgress type, from the registry like every other type. */
class ZoneEgressEndpointsTest {
    private static final String EGRESS = """
            type: ZoneEgress
            name: egress-1
            networking:
              address: 10.0.0.5
              port: 10002
              admin:
                port: 9902
            """;

    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start();
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void createsReadsListsUpdatesAndDeletesAZoneEgress() {
        Reply created = api.putYaml("/zoneegresses/egress-1", EGRESS);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        JsonNode stored = api.get("/zoneegresses/egress-1").json();
        assertThat(stored.path("type").asText()).isEqualTo("ZoneEgress");
        assertThat(stored.path("name").asText()).isEqualTo("egress-1");
        assertThat(stored.has("mesh")).as("a global type has no mesh").isFalse();
        assertThat(stored.has("zone")).as("an empty zone is omitted, as Kuma's JSON").isFalse();
        assertThat(stored.path("networking").toString())
                .isEqualTo("{\"address\":\"10.0.0.5\",\"port\":10002,\"admin\":{\"port\":9902}}");

        JsonNode list = api.get("/zoneegresses").json();
        assertThat(list.path("total").asInt()).isEqualTo(1);
        assertThat(list.path("items").path(0).path("name").asText()).isEqualTo("egress-1");

        Reply updated = api.putYaml("/zoneegresses/egress-1", EGRESS.replace("10002", "10003") + "zone: east\n");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode after = api.get("/zoneegresses/egress-1").json();
        assertThat(after.path("networking").path("port").asInt()).isEqualTo(10003);
        assertThat(after.path("zone").asText()).isEqualTo("east");

        assertThat(api.delete("/zoneegresses/egress-1").status()).isEqualTo(200);
        assertThat(api.get("/zoneegresses/egress-1").status()).isEqualTo(404);
    }

    @Test
    void acceptsTheKubernetesFormWithTheSpecUnderSpec() {
        Reply reply = api.putYaml("/zoneegresses/egress-k8s", """
                apiVersion: kuma.io/v1alpha1
                kind: ZoneEgress
                metadata:
                  name: egress-k8s
                spec:
                  networking:
                    address: egress.example.com
                    port: 10002
                """);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(api.get("/zoneegresses/egress-k8s").json().path("networking").path("address").asText())
                .isEqualTo("egress.example.com");
    }

    @Test
    void invalidZoneEgressIs400NamingEveryField() {
        Reply reply = api.putYaml("/zoneegresses/bad", """
                type: ZoneEgress
                name: bad
                networking:
                  address: 0.0.0.0
                  port: 70000
                  admin:
                    port: 70000
                """);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not create a resource");
        assertThat(reply.causes()).containsExactly(
                "networking.admin.port: must differ from port",
                "networking.address: must not be 0.0.0.0 or ::",
                "networking.port: port must be in the range [1, 65535]");
    }

    @Test
    void aZoneEgressIsInNoMesh() {
        Reply inMesh = api.putYaml("/meshes/default/zoneegresses/egress-1", EGRESS);

        assertThat(inMesh.status()).isEqualTo(404);
        assertThat(api.get("/zoneegresses/egress-1").status()).isEqualTo(404);
    }
}
