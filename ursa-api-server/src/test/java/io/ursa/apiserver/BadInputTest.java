package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every client mistake is a 4xx with Kuma's error JSON naming the field and the reason, and leaves the store as
 * it was.
 */
class BadInputTest {
    private static final String TP_PATH = "/meshes/demo/traffic-logs/all";

    private TestServer api;
    private Map<String, Long> before;

    @BeforeEach
    void startServer() {
        api = TestServer.start();
        api.seed(Fixtures.MESH_DEMO);
        api.seed(Fixtures.trafficLog("demo", "existing"));
        before = api.storeContents();
    }

    @AfterEach
    void storeIsUnchangedAndServerStops() {
        try {
            assertThat(api.storeContents()).as("store after a refused request").isEqualTo(before);
        } finally {
            api.close();
        }
    }

    /** The reply is an error with exactly these causes ({@code field: message}). */
    private static void assertRefused(Reply reply, int status, String title, String details, String... causes) {
        assertError(reply, status, title, details);
        assertThat(reply.causes()).containsExactly(causes);
    }

    private static void assertError(Reply reply, int status, String title, String details) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(reply.json().path("title").asText()).as(reply.toString()).isEqualTo(title);
        assertThat(reply.json().path("details").asText()).as(reply.toString()).isEqualTo(details);
    }

    @Test
    void malformedYamlIs400WithTheParserError() {
        Reply reply = api.putYaml(TP_PATH, "type: TrafficLog\nname: all\nsources: [unclosed\n");

        assertError(reply, 400, "Could not process a resource", "Resource is not valid");
        assertThat(reply.causes()).singleElement().asString().startsWith(": could not parse YAML at line");
    }

    @Test
    void malformedJsonIs400WithTheParserError() {
        Reply reply = api.putJson(TP_PATH, "{\"type\": \"TrafficLog\", \"name\": ");

        assertError(reply, 400, "Could not process a resource", "Resource is not valid");
        assertThat(reply.causes()).singleElement().asString().startsWith(": could not parse JSON at line 1");
    }

    @Test
    void wrongTypeForAMetaFieldNamesTheField() {
        Reply reply = api.putJson(TP_PATH, "{\"type\":\"TrafficLog\",\"mesh\":\"demo\",\"name\":{\"a\":1}}");

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                "name: expected a string, got: an object");
    }

    @Test
    void wrongTypeForASpecFieldNamesTheField() {
        Reply reply = api.putJson(TP_PATH,
                "{\"type\":\"TrafficLog\",\"mesh\":\"demo\",\"name\":\"all\",\"sources\":\"everything\"}");

        assertError(reply, 400, "Could not process a resource", "Resource is not valid");
        assertThat(reply.causes()).singleElement().asString().startsWith("sources: expected a list");
    }

    @Test
    void bodyOverTheLimitIs413NamingTheLimit() {
        String padding = "x".repeat((int) ApiServerConfig.DEFAULT_MAX_BODY_BYTES);
        Reply reply = api.putJson(TP_PATH, "{\"type\":\"TrafficLog\",\"name\":\"all\",\"pad\":\"" + padding + "\"}");

        assertRefused(reply, 413, "Could not process a resource", "Request body is too large",
                ": the body is larger than the limit of 1048576 bytes");
    }

    @Test
    void yamlAliasBombIs400() {
        StringBuilder bomb = new StringBuilder(Fixtures.trafficLog("demo", "all"));
        bomb.append("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            String prev = "*a" + (i - 1);
            bomb.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(",", Collections.nCopies(9, prev))).append("]\n");
        }

        Reply reply = api.putYaml(TP_PATH, bomb.toString());

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                ": YAML aliases are not supported (found *a0 at line 11, column 10)");
    }

    @Test
    void invalidNameIs400WithKumasMessage() {
        Reply reply = api.putYaml("/meshes/demo/traffic-logs/Bad.Name",
                Fixtures.trafficLog("demo", "Bad.Name"));

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                "name: invalid characters. Valid characters are numbers, "
                + "lowercase latin letters and '-', '_' symbols.");
    }

    @Test
    void nameInBodyDifferentFromPathIs400() {
        Reply reply = api.putYaml(TP_PATH, Fixtures.trafficLog("demo", "other-name"));

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                "name: name from the URL has to be the same as in body");
    }

    @Test
    void everyUrlMismatchIsReportedAtOnce() {
        Reply reply = api.putYaml(TP_PATH, "type: HealthCheck\nmesh: elsewhere\nname: nope\n");

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                "name: name from the URL has to be the same as in body",
                "type: type from the URL has to be the same as in body",
                "mesh: mesh from the URL has to be the same as in body");
        GoldenJson.assertMatches(reply.body(), "testdata/api/error-resource-not-valid.golden.json", Scrubber.none());
    }

    @Test
    void unknownTypeInBodyIs400() {
        Reply reply = api.putYaml(TP_PATH, "type: NoSuchType\nmesh: demo\nname: all\n");

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                "type: type from the URL has to be the same as in body");
    }

    @Test
    void unknownCollectionInPathIs404NamingTheKnownOnes() {
        Reply reply = api.putYaml("/meshes/demo/no-such-things/all", Fixtures.trafficLog("demo", "all"));

        assertError(reply, 404, "Unknown endpoint", "Not found");
        assertThat(reply.causes()).singleElement().asString()
                .startsWith("path: unknown collection \"no-such-things\" in a mesh (expected one of: ")
                .contains("traffic-logs");
    }

    @Test
    void unknownTopLevelCollectionIs404() {
        Reply reply = api.get("/no-such-things");

        assertError(reply, 404, "Unknown endpoint", "Not found");
        assertThat(reply.causes()).singleElement().asString()
                .startsWith("path: unknown collection \"no-such-things\" (expected one of: ");
    }

    @Test
    void pathTheWebServerCannotDecodeIs400Json() {
        Reply reply = api.get("/meshes/%00");

        assertError(reply, 400, "Could not process the request", "Bad Request");
    }

    @Test
    void unsupportedMethodIs405Json() {
        Reply reply = api.send(api.request("/meshes/demo").POST(HttpRequest.BodyPublishers.noBody()));

        assertRefused(reply, 405, "Unknown endpoint", "Method Not Allowed",
                "method: method POST is not supported on /meshes/demo");
    }

    @Test
    void unknownMeshOnPutIs400MeshNotFound() {
        Reply reply = api.putYaml("/meshes/nowhere/traffic-logs/all", Fixtures.trafficLog("nowhere", "all"));

        assertRefused(reply, 400, "Could not create a resource", "Mesh is not found",
                "mesh: mesh of name nowhere is not found");
    }

    @Test
    void unknownMeshOnListIs400MeshNotFound() {
        Reply reply = api.get("/meshes/nowhere/traffic-logs");

        assertRefused(reply, 400, "Could not retrieve resources", "Mesh is not found",
                "mesh: mesh of name nowhere is not found");
    }

    @Test
    void unknownMeshOnGetAndDeleteIs400MeshNotFound() {
        assertRefused(api.get("/meshes/nowhere/traffic-logs/all"), 400, "Could not retrieve a resource",
                "Mesh is not found", "mesh: mesh of name nowhere is not found");
        assertRefused(api.delete("/meshes/nowhere/traffic-logs/all"), 400, "Could not delete a resource",
                "Mesh is not found", "mesh: mesh of name nowhere is not found");
    }

    @Test
    void sizeThatIsNotANumberIs400() {
        Reply reply = api.get("/meshes/demo/traffic-logs?size=ten");

        assertRefused(reply, 400, "Could not retrieve resources", "Invalid page size",
                "size: Invalid format");
    }

    @Test
    void sizeOverTheMaximumIs400() {
        Reply reply = api.get("/traffic-logs?size=1001");

        assertRefused(reply, 400, "Could not retrieve resources", "Invalid page size",
                "size: Invalid page size of 1001. Maximum page size is 1000");
        GoldenJson.assertMatches(reply.body(), "testdata/api/error-invalid-page-size.golden.json", Scrubber.none());
    }

    @Test
    void sizeBelowOneIs400() {
        Reply reply = api.get("/traffic-logs?size=0");

        assertRefused(reply, 400, "Could not retrieve resources", "Invalid page size",
                "size: Invalid page size of 0. Minimum page size is 1");
    }

    @Test
    void offsetThatIsNotANumberIs400() {
        Reply reply = api.get("/meshes/demo/traffic-logs?offset=abc");

        assertRefused(reply, 400, "Could not retrieve resources", "Invalid offset",
                "offset: Invalid format");
    }

    @Test
    void negativeOffsetIs400() {
        Reply reply = api.get("/meshes/demo/traffic-logs?offset=-1");

        assertRefused(reply, 400, "Could not retrieve resources", "Invalid offset",
                "offset: Invalid format");
    }

    @Test
    void emptyBodyIs400() {
        Reply reply = api.putJson(TP_PATH, "");

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                ": the document is empty");
    }

    @Test
    void severalYamlDocumentsAre400() {
        Reply reply = api.putYaml(TP_PATH, Fixtures.trafficLog("demo", "all") + "---\n"
                + Fixtures.trafficLog("demo", "all"));

        assertRefused(reply, 400, "Could not process a resource", "Resource is not valid",
                ": the body holds 2 documents (expected: one resource)");
    }

    @Test
    void malformedIfMatchIs400() {
        Reply reply = api.putYaml("/meshes/demo/traffic-logs/existing", Fixtures.trafficLog("demo", "existing"),
                "If-Match", "yesterday");

        assertError(reply, 400, "Could not process a resource", "Resource is not valid");
        assertThat(reply.causes()).singleElement().asString().startsWith("If-Match: invalid entity tag yesterday");
    }

    @Test
    void invalidSpecReportsEveryViolation() {
        Reply reply = api.putYaml(TP_PATH, """
                type: TrafficLog
                mesh: demo
                name: all
                sources: []
                destinations: []
                """);

        assertError(reply, 400, "Could not create a resource", "Resource is not valid");
        assertThat(reply.causes()).hasSizeGreaterThanOrEqualTo(2);
    }
}
