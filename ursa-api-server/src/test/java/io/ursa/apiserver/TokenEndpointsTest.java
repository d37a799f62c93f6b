package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import io.ursa.core.tokens.DataplaneTokenValidator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /tokens/dataplane} (spec §10.4) against a real server, checked with the real validator. */
class TokenEndpointsTest {
    private static final String PATH = "/tokens/dataplane";
    private static final String WEB_REQUEST = """
            {"name": "web-1", "mesh": "demo", "tags": {"kuma.io/service": ["web", "web-api"]},
             "type": "dataplane", "validFor": "24h"}
            """;

    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start();
        api.seed(Fixtures.MESH_DEMO);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    private static JWTClaimsSet claimsOf(Reply reply) throws ParseException {
        return SignedJWT.parse(reply.body()).getJWTClaimsSet();
    }

    private static Duration validityOf(JWTClaimsSet claims) {
        return Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
    }

    private static void assertError(Reply reply, int status, String title, String details, String... causes) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(reply.json().path("title").asText()).as(reply.toString()).isEqualTo(title);
        assertThat(reply.json().path("details").asText()).as(reply.toString()).isEqualTo(details);
        assertThat(reply.causes()).containsExactly(causes);
    }

    @Test
    void issuesATokenThatAProxyOfTheRequestCanConnectWith() throws Exception {
        Reply reply = api.postJson(PATH, WEB_REQUEST);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        JWTClaimsSet claims = claimsOf(reply);
        assertThat(claims.getStringClaim("Name")).isEqualTo("web-1");
        assertThat(claims.getJSONObjectClaim("Tags")).isEqualTo(Map.of("kuma.io/service", List.of("web", "web-api")));
        assertThat(validityOf(claims)).isEqualTo(Duration.ofHours(24));

        DataplaneTokenValidator validator = new DataplaneTokenValidator(api.manager, Clock.systemUTC());
        assertThatCode(() -> validator.validate(reply.body(), "demo", "web-1",
                Map.of("kuma.io/service", Set.of("web")))).doesNotThrowAnyException();
    }

    @Test
    void emptyValidForMeansTenYearsAndTheLegacyPathIssuesToo() throws Exception {
        Reply reply = api.postJson("/tokens", "{\"mesh\": \"demo\", \"validFor\": \"\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(validityOf(claimsOf(reply))).isEqualTo(Duration.ofHours(87600));
        assertThat(claimsOf(reply).getStringClaim("Name")).isEmpty();
    }

    @Test
    void invalidRequestListsEveryCauseInKumasOrder() {
        Reply reply = api.postJson(PATH, "{\"mesh\": \"\", \"validFor\": \"ten days\", \"type\": \"sidecar\"}");

        assertError(reply, 400, "Invalid request", "Resource is not valid",
                "mesh: cannot be empty",
                "validFor: is invalid: invalid duration: \"ten days\" (expected: e.g. \"5s\", \"0.025s\", \"250ms\","
                        + " \"1h30m\")",
                "type: sidecar is not a valid proxy type");
        GoldenJson.assertMatches(reply.body(), "testdata/api/error-token-invalid-request.golden.json",
                Scrubber.none());
    }

    @Test
    void fieldsOfTheWrongTypeAndAZeroValidityAreNamed() {
        Reply reply = api.postJson(PATH, "{\"mesh\": \"demo\", \"name\": 7, \"validFor\": \"0s\","
                + " \"tags\": {\"kuma.io/service\": \"web\", \"version\": [\"v1\", 2]}}");

        assertError(reply, 400, "Invalid request", "Resource is not valid",
                "name: expected a string, got: 7",
                "tags[\"kuma.io/service\"]: expected a list of strings, got: \"web\"",
                "tags[\"version\"][1]: expected a string, got: 2",
                "validFor: is invalid: \"0s\" is not positive (expected: e.g. 24h)");
    }

    @Test
    void malformedJsonIsAnInvalidRequest() {
        Reply reply = api.postJson(PATH, "{\"mesh\": ");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("title").asText()).isEqualTo("Invalid request");
        assertThat(reply.causes()).singleElement().asString().startsWith(": could not parse JSON");
    }

    @Test
    void unknownMeshIsAnsweredAsEverywhereElse() {
        Reply reply = api.postJson(PATH, "{\"mesh\": \"nowhere\"}");

        assertError(reply, 400, "Could not issue a token", "Mesh is not found",
                "mesh: mesh of name nowhere is not found");
    }

    @Test
    void meshWithoutSigningKeyIs404() {
        api.manager.delete(ResourceTypes.SECRET, "demo", "dataplane-token-signing-key-demo-1");

        Reply reply = api.postJson(PATH, WEB_REQUEST);

        assertError(reply, 404, "Signing Key not found", "there is no signing key with serial number 1. Secret of"
                + " name \"dataplane-token-signing-key-demo-1\" in mesh \"demo\" is not found. If signing key was"
                + " rotated, regenerate the token");
        GoldenJson.assertMatches(reply.body(), "testdata/api/error-signing-key-not-found.golden.json",
                Scrubber.none());
    }

    @Test
    void onlyTheAdminMayIssueTokens() {
        ApiServerConfig nobodyIsAdmin = ApiServerConfig.defaults().withLocalhostIsAdmin(false);
        try (TestServer closed = TestServer.start(nobodyIsAdmin, DataplaneInsights.none())) {
            closed.seed(Fixtures.MESH_DEMO);

            Reply denied = closed.postJson(PATH, WEB_REQUEST);
            Reply invalid = closed.postJson(PATH, "{\"mesh\": \"\"}");

            assertError(denied, 403, "Access Denied", "user \"mesh-system:anonymous/mesh-system:unauthenticated\""
                    + " cannot GENERATE_DATAPLANE_TOKEN DataplaneToken \"web-1\" in mesh \"demo\"");
            assertThat(invalid.status()).as("the request is checked before the caller").isEqualTo(400);
        }
    }

    @Test
    void otherMethodsAndPathsUnderTokensAreJsonErrors() {
        Reply get = api.get(PATH);
        Reply unknown = api.postJson("/tokens/zone-ingress", "{}");

        assertThat(get.status()).as(get.toString()).isEqualTo(405);
        assertThat(get.causes()).containsExactly("method: method GET is not supported on /tokens/dataplane");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.causes()).as("Ursa has no zone ingress").containsExactly(
                "path: no endpoint at /tokens/zone-ingress");
    }
}
