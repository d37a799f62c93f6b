package io.ursa.apiserver;

import static io.ursa.apiserver.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.access.User;
import io.ursa.core.tokens.ZoneTokenValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /tokens/zone}: Kuma's body, admin-only by default, and a token a zone egress is let in with. */
class ZoneTokenEndpointTest {
    private static final String PATH = "/tokens/zone";

    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false), DataplaneInsights.none());
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void theAdminIssuesAnEgressTokenWithKumasClaims() throws Exception {
        Reply issued = api.postJson(PATH, "{\"zone\": \"east\", \"scope\": [\"egress\"], \"validFor\": \"1h\"}",
                bearer(api.adminToken()));

        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        assertThat(issued.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        SignedJWT jwt = SignedJWT.parse(issued.body());
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("1");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("Zone")).isEqualTo("east");
        assertThat(claims.getStringListClaim("Scope")).containsExactly("egress");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(1));
        assertThatCode(() -> new ZoneTokenValidator(api.manager, Clock.systemUTC())
                .validate(issued.body(), "east", "egress")).doesNotThrowAnyException();
    }

    @Test
    void withoutZoneOrValidForATokenIsOfNoZoneForTenYearsAsKuma() throws Exception {
        Reply issued = api.postJson(PATH, "{\"scope\": [\"ingress\", \"egress\"]}", bearer(api.adminToken()));

        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(issued.body()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("Zone")).isEmpty();
        assertThat(claims.getStringListClaim("Scope")).containsExactly("ingress", "egress");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(24L * 365 * 10));
    }

    @Test
    void onlyARoleWithGenerateZoneTokenMayIssueAndTheCallerIsCheckedFirstAsKuma() {
        String body = "{\"zone\": \"east\", \"scope\": [\"egress\"], \"validFor\": \"24h\"}";
        Reply anonymous = api.postJson(PATH, body);
        Reply user = api.postJson(PATH, body, bearer(api.tokenFor(new User("alice", List.of("team-a")))));
        Reply anonymousInvalid = api.postJson(PATH, "{}");
        Reply notJson = api.postJson(PATH, "{", bearer(api.adminToken()));

        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.json().path("title").asText()).isEqualTo("Access Denied");
        assertThat(anonymous.json().path("details").asText()).isEqualTo("user \"mesh-system:anonymous/"
                + "mesh-system:unauthenticated\" cannot GENERATE_ZONE_TOKEN ZoneToken \"east\"");
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.json().path("details").asText()).startsWith("user \"alice/team-a,mesh-system:authenticated\""
                + " cannot GENERATE_ZONE_TOKEN");
        assertThat(anonymousInvalid.status()).as("the caller is checked before the fields").isEqualTo(403);
        assertThat(notJson.status()).isEqualTo(400);

        api.seed("""
                type: AccessRole
                name: zone-tokens
                rules:
                - access: [GENERATE_ZONE_TOKEN]
                ---
                type: AccessRoleBinding
                name: team-a-zone-tokens
                subjects:
                - type: Group
                  name: team-a
                roles: [zone-tokens]
                """);
        Reply granted = api.postJson(PATH, body, bearer(api.tokenFor(new User("alice", List.of("team-a")))));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    }

    @Test
    void badRequestsNameTheirFields() {
        String admin = bearer(api.adminToken())[1];
        Reply noScope = api.postJson(PATH, "{\"zone\": \"east\"}", "Authorization", admin);
        Reply bad = api.postJson(PATH, "{\"zone\": 7, \"scope\": [\"egres\", 3], \"validFor\": \"soon\"}",
                "Authorization", admin);
        Reply empty = api.postJson(PATH, "{\"scope\": [], \"validFor\": \"0s\"}", "Authorization", admin);
        Reply notAList = api.postJson(PATH, "{\"scope\": \"egress\"}", "Authorization", admin);

        assertThat(noScope.status()).isEqualTo(400);
        assertThat(noScope.json().path("title").asText()).isEqualTo("Invalid request");
        assertThat(noScope.causes()).containsExactly("scope: cannot be empty");
        assertThat(bad.causes()).containsExactly(
                "zone: expected a string, got: 7",
                "scope[0]: unsupported scope \"egres\" (expected one of: ingress, egress)",
                "scope[1]: expected a string, got: 3",
                "validFor: is invalid: invalid duration: \"soon\" (expected: e.g. \"5s\", \"0.025s\", \"250ms\","
                        + " \"1h30m\")");
        assertThat(empty.causes()).containsExactly("scope: cannot be empty",
                "validFor: is invalid: \"0s\" is not positive (expected: e.g. 24h)");
        assertThat(notAList.causes()).containsExactly("scope: expected a list of strings, got: \"egress\"");
    }

    @Test
    void withoutASigningKeyIssuingIs404() {
        try (TestServer local = TestServer.start()) {
            local.manager.delete(ResourceTypes.GLOBAL_SECRET, "", "zone-token-signing-key-1");
            Reply missing = local.postJson(PATH, "{\"scope\": [\"egress\"]}");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().path("title").asText()).isEqualTo("Signing Key not found");
            assertThat(missing.json().path("details").asText()).isEqualTo("there is no signing key with serial number"
                    + " 1. GlobalSecret of name \"zone-token-signing-key-1\" is not found. If signing key was rotated,"
                    + " regenerate the token");
        }
    }
}
