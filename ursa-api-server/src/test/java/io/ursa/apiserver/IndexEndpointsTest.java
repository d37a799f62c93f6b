package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IndexEndpointsTest {
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
    void indexDescribesTheControlPlane() {
        Reply reply = api.get("/");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("hostname").asText()).isNotEmpty();
        GoldenJson.assertMatches(reply.body(), "testdata/api/index.golden.json", Scrubber.none().fields("hostname"));
    }

    @Test
    void configShowsTheEffectiveConfiguration() {
        Reply reply = api.get("/config");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("apiServer").path("readOnly").asBoolean(true)).isFalse();
    }

    @Test
    void policiesListsThePolicyTypesSortedByName() {
        Reply reply = api.get("/policies");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("policies").findValuesAsText("name")).isSorted().contains("TrafficLog")
                .doesNotContain("Mesh", "Dataplane", "Secret");
        GoldenJson.assertMatches(reply.body(), "testdata/api/policies.golden.json", Scrubber.none());
    }

    @Test
    void unexpectedFailureIs500WithJsonBody() {
        try (TestServer broken = TestServer.withConfigSupplier(() -> {
            throw new IllegalStateException("configuration is gone");
        })) {
            Reply reply = broken.get("/config");

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.json().path("title").asText()).isEqualTo("Could not retrieve the configuration");
            assertThat(reply.json().path("details").asText()).isEqualTo("Internal Server Error");
            assertThat(reply.body()).doesNotContain("configuration is gone");
        }
    }
}
