package io.ursa.apiserver;

import static io.ursa.apiserver.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import io.ursa.core.access.User;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /tokens/user} and what a user token does on the next request; 401 for every bad one. */
class UserTokenEndpointTest {
    private static final String PATH = "/tokens/user";

    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false), DataplaneInsights.none());
        api.seed(Fixtures.MESH_DEMO);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    private static JWTClaimsSet claimsOf(Reply reply) throws Exception {
        return SignedJWT.parse(reply.body()).getJWTClaimsSet();
    }

    @Test
    void theAdminIssuesATokenThatWorksAsItsUser() throws Exception {
        Reply issued = api.postJson(PATH, "{\"name\": \"carol\", \"groups\": [\"ops\"], \"validFor\": \"1h\"}",
                bearer(api.adminToken()));

        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        assertThat(issued.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        JWTClaimsSet claims = claimsOf(issued);
        assertThat(claims.getStringClaim("Name")).isEqualTo("carol");
        assertThat(claims.getStringListClaim("Groups")).containsExactly("ops");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(1));

        api.seed("""
                type: AccessRoleBinding
                name: ops
                subjects:
                - type: Group
                  name: ops
                roles: [admin]
                """);
        Reply write = api.putYaml("/meshes/demo/traffic-logs/x", Fixtures.trafficLog("demo", "x"),
                bearer(issued.body()));
        assertThat(write.status()).as(write.toString()).isEqualTo(201);
    }

    @Test
    void withoutValidForATokenLastsADay() throws Exception {
        Reply issued = api.postJson(PATH, "{\"name\": \"carol\"}", bearer(api.adminToken()));

        JWTClaimsSet claims = claimsOf(issued);
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(24));
        assertThat(claims.getStringListClaim("Groups")).isEmpty();
    }

    @Test
    void onlyARoleWithGenerateUserTokenMayIssue() {
        String body = "{\"name\": \"mallory\", \"groups\": [\"mesh-system:admin\"]}";
        Reply anonymous = api.postJson(PATH, body);
        Reply user = api.postJson(PATH, body, bearer(api.tokenFor(new User("alice", List.of("team-a")))));
        Reply invalid = api.postJson(PATH, "{}");

        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.json().path("details").asText()).isEqualTo("user \"mesh-system:anonymous/"
                + "mesh-system:unauthenticated\" cannot GENERATE_USER_TOKEN UserToken \"mallory\"");
        assertThat(user.status()).isEqualTo(403);
        assertThat(invalid.status()).as("the request is checked before the caller").isEqualTo(400);
    }

    @Test
    void badRequestsNameTheirFields() {
        Reply reply = api.postJson(PATH, "{\"name\": 7, \"groups\": [\"ok\", \"\", 3], \"validFor\": \"soon\"}",
                bearer(api.adminToken()));
        Reply notPositive = api.postJson(PATH, "{\"name\": \"a\", \"validFor\": \"0s\", \"groups\": \"ops\"}",
                bearer(api.adminToken()));
        Reply empty = api.postJson(PATH, "{\"name\": \"\"}", bearer(api.adminToken()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("title").asText()).isEqualTo("Invalid request");
        assertThat(reply.causes()).containsExactly(
                "name: expected a string, got: 7",
                "groups[1]: cannot be empty",
                "groups[2]: expected a string, got: 3",
                "validFor: is invalid: invalid duration: \"soon\" (expected: e.g. \"5s\", \"0.025s\", \"250ms\","
                        + " \"1h30m\")");
        assertThat(notPositive.causes()).containsExactly(
                "groups: expected a list of strings, got: \"ops\"",
                "validFor: is invalid: \"0s\" is not positive (expected: e.g. 24h)");
        assertThat(empty.causes()).containsExactly("name: cannot be empty");
    }

    @Test
    void withoutASigningKeyIssuingIs404() {
        String admin = api.adminToken();
        api.seed("""
                type: GlobalSecret
                name: user-token-signing-key-7
                data: bm90IGEga2V5
                """);
        api.manager.delete(ResourceTypes.GLOBAL_SECRET, "", "user-token-signing-key-7");
        api.manager.delete(ResourceTypes.GLOBAL_SECRET, "", "user-token-signing-key-1");

        Reply reply = api.postJson(PATH, "{\"name\": \"carol\"}", "Authorization", "Bearer " + admin);

        assertThat(reply.status()).as("the admin token's key is gone too").isEqualTo(401);
        try (TestServer local = TestServer.start()) {
            local.manager.delete(ResourceTypes.GLOBAL_SECRET, "", "user-token-signing-key-1");
            Reply missing = local.postJson(PATH, "{\"name\": \"carol\"}");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().path("title").asText()).isEqualTo("Signing Key not found");
            assertThat(missing.json().path("details").asText()).isEqualTo("there is no signing key with serial number"
                    + " 1. GlobalSecret of name \"user-token-signing-key-1\" is not found. If signing key was rotated,"
                    + " regenerate the token");
        }
    }

    @Test
    void badTokensAre401WithTheReasonAndNeverTheToken() throws Exception {
        String valid = api.tokenFor(new User("alice", List.of()));
        String revoked = api.tokenFor(new User("alice", List.of()));
        api.seed("type: GlobalSecret\nname: user-token-revocations\ndata: "
                + java.util.Base64.getEncoder().encodeToString(SignedJWT.parse(revoked).getJWTClaimsSet().getJWTID()
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + "\n");
        String[] parts = valid.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        Reply revokedReply = api.get("/meshes", bearer(revoked));
        Reply forgedReply = api.get("/meshes", bearer(forged));
        Reply garbage = api.get("/meshes", bearer("not-a-token"));
        Reply basic = api.get("/meshes", "Authorization", "Basic YWRtaW46YWRtaW4=");
        Reply empty = api.get("/meshes", "Authorization", "Bearer ");

        assertUnauthenticated(revokedReply, "revoked", revoked);
        assertUnauthenticated(forgedReply, "bad signature", forged);
        assertUnauthenticated(garbage, "malformed: not a signed JWT", "not-a-token");
        assertUnauthenticated(basic, "malformed: the Authorization header is not \"Bearer <user token>\"", "YWRt");
        assertUnauthenticated(empty, "malformed: the Authorization header is not \"Bearer <user token>\"", "");
        GoldenJson.assertMatches(revokedReply.body(), "testdata/api/error-invalid-token.golden.json",
                Scrubber.none());
        assertThat(api.get("/meshes", bearer(valid)).status()).isEqualTo(200);
    }

    @Test
    void aTokenWinsOverTheLoopbackAdmin() {
        try (TestServer local = TestServer.start()) {
            local.seed(Fixtures.MESH_DEMO);
            String alice = local.tokenFor(new User("alice", List.of()));

            Reply asAlice = local.putYaml("/meshes/demo/traffic-logs/x", Fixtures.trafficLog("demo", "x"),
                    bearer(alice));
            Reply asAdmin = local.putYaml("/meshes/demo/traffic-logs/x", Fixtures.trafficLog("demo", "x"));

            assertThat(asAlice.status()).isEqualTo(403);
            assertThat(asAlice.json().path("details").asText()).startsWith("user \"alice/mesh-system:authenticated\"");
            assertThat(asAdmin.status()).isEqualTo(201);
        }
    }

    private static void assertUnauthenticated(Reply reply, String details, String tokenText) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(reply.header("WWW-Authenticate")).contains("Bearer");
        assertThat(reply.json().path("title").asText()).isEqualTo("Invalid authentication data");
        assertThat(reply.json().path("details").asText()).isEqualTo(details);
        if (!tokenText.isEmpty()) {
            assertThat(reply.body()).doesNotContain(tokenText);
        }
    }
}
