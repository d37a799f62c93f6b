package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /zoneegressoverviews}: each ZoneEgress with its proxy's insight, as Kuma lists them. */
class ZoneEgressOverviewEndpointsTest {
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults(), new ConnectedDataplanes(Set.of("/egress-1")));
        for (String name : new String[] {"egress-1", "egress-2"}) {
            Reply reply = api.putYaml("/zoneegresses/" + name, "type: ZoneEgress\nname: " + name
                    + "\nnetworking: {address: 10.0.0.9, port: 10002}\n");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        }
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void listsEachZoneEgressWithTheInsightOfItsProxy() {
        var page = api.get("/zoneegressoverviews").json();

        assertThat(page.path("total").asLong()).isEqualTo(2);
        var first = page.path("items").get(0);
        assertThat(first.path("type").asText()).isEqualTo("ZoneEgressOverview");
        assertThat(first.path("name").asText()).isEqualTo("egress-1");
        assertThat(first.has("mesh")).isFalse();
        assertThat(first.path("zoneEgress").path("networking").path("port").asInt()).isEqualTo(10002);
        assertThat(first.path("zoneEgressInsight").path("subscriptions")).hasSize(1);
        assertThat(page.path("items").get(1).has("zoneEgressInsight")).as("never connected").isFalse();
    }

    @Test
    void getsOneAndAnUnknownOneIs404() {
        assertThat(api.get("/zoneegressoverviews/egress-2").json().path("name").asText()).isEqualTo("egress-2");
        Reply unknown = api.get("/zoneegressoverviews/ghost");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("title").asText()).isEqualTo("Could not retrieve a zone egress overview");
    }
}
