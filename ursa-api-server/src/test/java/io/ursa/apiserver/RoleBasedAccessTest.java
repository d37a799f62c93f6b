package io.ursa.apiserver;

import static io.ursa.apiserver.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.core.access.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes and token requests need a role; reads stay open except secrets. The callers here are not the loopback
 * admin ({@code localhostIsAdmin} off stands in for a remote address): anonymous, the bootstrap admin token, and a
 * team whose role allows TrafficRoutes in mesh {@code a}.
 */
class RoleBasedAccessTest {
    private static final String TEAM_A_ROLE = """
            type: AccessRole
            name: traffic-a
            rules:
            - types: [TrafficRoute]
              mesh: a
              access: [CREATE, UPDATE, DELETE]
            ---
            type: AccessRoleBinding
            name: team-a
            subjects:
            - type: Group
              name: team-a
            roles: [traffic-a]
            """;

    private TestServer api;
    private String alice;
    private Map<String, Long> before;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false), DataplaneInsights.none());
        api.seed(Fixtures.mesh("a") + "---\n" + Fixtures.mesh("b") + "---\n" + Fixtures.secret("a", "s") + "---\n"
                + TEAM_A_ROLE);
        alice = api.tokenFor(new User("alice", List.of("team-a")));
        before = api.storeContents();
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void anonymousCallersReadButWriteNothing() {
        List<Reply> writes = List.of(
                api.putYaml("/meshes/evil", Fixtures.mesh("evil")),
                api.putYaml("/meshes/a/traffic-permissions/p", Fixtures.trafficPermission("a", "p")),
                api.delete("/meshes/b"),
                api.postJson("/tokens/dataplane", "{\"mesh\": \"a\"}"),
                api.postJson("/tokens/user", "{\"name\": \"me\"}"));

        for (Reply reply : writes) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.json().path("title").asText()).isEqualTo("Access Denied");
        }
        assertThat(api.storeContents()).isEqualTo(before);
        assertThat(api.get("/meshes").status()).isEqualTo(200);
        assertThat(api.get("/meshes/a/traffic-routes").status()).isEqualTo(200);
        assertThat(api.get("/access-roles/traffic-a").status()).as("roles are not secret").isEqualTo(200);
    }

    @Test
    void theAdminTokenWritesEverything() {
        String[] admin = bearer(api.adminToken());

        assertThat(api.putYaml("/meshes/c", Fixtures.mesh("c"), admin).status()).isEqualTo(201);
        assertThat(api.putYaml("/meshes/b/traffic-permissions/p", Fixtures.trafficPermission("b", "p"), admin)
                .status()).isEqualTo(201);
        assertThat(api.get("/meshes/a/secrets/s", admin).json().path("data").asText()).isEqualTo("c2VjcmV0");
        assertThat(api.postJson("/tokens/dataplane", "{\"mesh\": \"b\"}", admin).status()).isEqualTo(200);
        assertThat(api.delete("/meshes/c", admin).status()).isEqualTo(200);
    }

    @Test
    void aTeamWritesTrafficRoutesInItsMeshAndNothingElse() {
        String[] team = bearer(alice);

        Reply created = api.putYaml("/meshes/a/traffic-routes/r1", Fixtures.trafficRoute("a", "r1"), team);
        Reply updated = api.putYaml("/meshes/a/traffic-routes/r1", Fixtures.trafficRoute("a", "r1"), team);
        Reply otherMesh = api.putYaml("/meshes/b/traffic-routes/r1", Fixtures.trafficRoute("b", "r1"), team);
        Reply otherType = api.putYaml("/meshes/a/traffic-permissions/p", Fixtures.trafficPermission("a", "p"), team);
        Reply secretWrite = api.putYaml("/meshes/a/secrets/s2", Fixtures.secret("a", "s2"), team);
        Reply secretRead = api.get("/meshes/a/secrets/s", team);
        Reply secretList = api.get("/meshes/a/secrets", team);
        Reply mesh = api.putYaml("/meshes/a", Fixtures.mesh("a"), team);
        Reply token = api.postJson("/tokens/dataplane", "{\"mesh\": \"a\"}", team);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(otherMesh.json().path("details").asText()).isEqualTo("user \"alice/team-a,"
                + "mesh-system:authenticated\" cannot CREATE TrafficRoute \"r1\" in mesh \"b\"");
        assertThat(otherType.json().path("details").asText()).isEqualTo("user \"alice/team-a,"
                + "mesh-system:authenticated\" cannot CREATE TrafficPermission \"p\" in mesh \"a\"");
        assertThat(mesh.json().path("details").asText()).isEqualTo("user \"alice/team-a,"
                + "mesh-system:authenticated\" cannot UPDATE Mesh \"a\" in mesh \"a\"");
        for (Reply refused : List.of(otherMesh, otherType, secretWrite, secretRead, secretList, mesh, token)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        }
        assertThat(api.get("/meshes/b/traffic-routes", team).status()).as("reads stay open").isEqualTo(200);
        assertThat(api.delete("/meshes/a/traffic-routes/r1", team).status()).isEqualTo(200);
        assertThat(api.storeContents()).as("only r1 came and went").isEqualTo(before);
    }

    @Test
    void aNewBindingCountsAtTheNextRequest() {
        String[] bob = bearer(api.tokenFor(new User("bob", List.of())));
        String[] admin = bearer(api.adminToken());
        String route = Fixtures.trafficRoute("a", "r2");
        assertThat(api.putYaml("/meshes/a/traffic-routes/r2", route, bob).status()).isEqualTo(403);

        Reply bound = api.putYaml("/access-role-bindings/bob", """
                type: AccessRoleBinding
                name: bob
                subjects:
                - type: User
                  name: bob
                roles: [traffic-a]
                """, admin);

        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
        assertThat(api.putYaml("/meshes/a/traffic-routes/r2", route, bob).status()).isEqualTo(201);
        assertThat(api.delete("/access-role-bindings/bob", admin).status()).isEqualTo(200);
        assertThat(api.delete("/meshes/a/traffic-routes/r2", bob).status()).isEqualTo(403);
    }

    @Test
    void aUserMayNotGrantItselfMore() {
        String[] team = bearer(alice);

        Reply role = api.putYaml("/access-roles/traffic-a", """
                type: AccessRole
                name: traffic-a
                rules:
                - access: [CREATE, UPDATE, DELETE]
                """, team);

        assertThat(role.status()).isEqualTo(403);
        assertThat(api.storeContents()).isEqualTo(before);
    }
}
