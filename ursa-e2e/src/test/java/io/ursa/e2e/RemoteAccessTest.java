package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane as a caller on another host sees it: {@code curl} and {@code bin/ursactl} run in a network
 * namespace ({@link RemoteHost}) and reach the control plane from a real non-loopback address. Anonymous callers
 * read and cannot write; the admin token (read from the control plane's own host, as the README says) writes
 * over HTTPS with the control plane's CA; a user whose role allows TrafficRoutes in mesh {@code a} writes one
 * there and nothing else.
 */
class RemoteAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    private static RemoteHost remote;
    private static CpProcess cp;
    private static Ursactl local;
    private static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        // The other host first: the control plane's own certificate names the addresses it has when it starts.
        remote = RemoteHost.create();
        cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of());
        local = new Ursactl(tmp.resolve("local.yaml"));
        ok(local.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));
        Ursactl.Result secret = local.run(null, "get", "global-secret", "admin-user-token", "-o", "json");
        ok(secret);
        adminToken = new String(Base64.getDecoder().decode(JSON.readTree(secret.out()).path("data").asText()),
                StandardCharsets.US_ASCII);
        ok(local.run("type: Mesh\nname: a\n---\ntype: Mesh\nname: b\n", "apply", "-f", "-"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cp != null) {
            cp.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void anonymousCallersFromAnotherHostReadButCannotWrite() throws Exception {
        String api = "http://" + remote.controlPlaneAddress + ":" + cp.apiPort;

        assertThat(curl("GET", api + "/meshes", null)).startsWith("200");
        assertThat(curl("PUT", api + "/meshes/evil", "{\"type\":\"Mesh\",\"name\":\"evil\"}"))
                .startsWith("403").contains("Access Denied")
                .contains("mesh-system:anonymous/mesh-system:unauthenticated");
        assertThat(curl("PUT", api + "/meshes/default/traffic-permissions/evil", """
                {"type":"TrafficPermission","mesh":"default","name":"evil",
                 "sources":[{"match":{"kuma.io/service":"*"}}],"destinations":[{"match":{"kuma.io/service":"*"}}]}
                """)).startsWith("403");
        assertThat(curl("DELETE", api + "/meshes/default/traffic-permissions/allow-all-default", null))
                .startsWith("403");
        assertThat(curl("GET", api + "/meshes/default/secrets", null)).startsWith("403");
        assertThat(curl("GET", api + "/global-secrets/admin-user-token", null)).startsWith("403");

        assertThat(new CpApi(cp.apiUrl()).get("/meshes/evil")).as("mesh evil").isEmpty();
        assertThat(new CpApi(cp.apiUrl()).get("/meshes/default/traffic-permissions/allow-all-default"))
                .as("allow-all-default").isPresent();
        assertThat(cp.output()).contains("audit user=\"mesh-system:anonymous\"").contains("outcome=denied")
                .doesNotContain(adminToken);
    }

    @Test
    void theAdminTokenWritesOverHttpsFromAnotherHost() throws Exception {
        Path config = tmp.resolve("remote-admin.yaml");
        ok(remote.ursactl(config, null, "config", "control-planes", "add", "--name", "remote",
                "--address", "https://" + remote.controlPlaneAddress + ":" + cp.httpsPort,
                "--ca-cert-file", cp.caFile().toString(), "--auth-type", "tokens", "--auth-conf", "token=" + adminToken));

        ok(remote.ursactl(config, "type: Mesh\nname: from-afar\n", "apply", "-f", "-"));
        RemoteHost.Result secrets = remote.ursactl(config, null, "get", "secrets", "-m", "a");
        ok(secrets);

        assertThat(new CpApi(cp.apiUrl()).get("/meshes/from-afar")).as("mesh from-afar").isPresent();
        assertThat(Files.readString(config)).as("the stored configuration").contains("authType: tokens");
        assertThat(cp.output()).contains("audit user=\"mesh-system:admin\"").contains("name=\"from-afar\"")
                .contains("remote=" + remote.address).doesNotContain(adminToken);
    }

    @Test
    void aRoleForTrafficRoutesOfOneMeshAllowsExactlyThat() throws Exception {
        ok(local.run("""
                type: AccessRole
                name: routes-of-a
                rules:
                - types: [TrafficRoute]
                  mesh: a
                  access: [CREATE, UPDATE, DELETE]
                ---
                type: AccessRoleBinding
                name: alice-routes
                subjects:
                - type: User
                  name: alice
                roles: [routes-of-a]
                """, "apply", "-f", "-"));
        Ursactl.Result issued = local.run(null, "generate", "user-token", "--name", "alice", "--group", "team-a",
                "--valid-for", "1h");
        ok(issued);
        Path config = tmp.resolve("remote-alice.yaml");
        ok(remote.ursactl(config, null, "config", "control-planes", "add", "--name", "remote",
                "--address", "https://" + remote.controlPlaneAddress + ":" + cp.httpsPort,
                "--ca-cert-file", cp.caFile().toString(), "--auth-type", "tokens",
                "--auth-conf", "token=" + issued.out().strip()));

        ok(remote.ursactl(config, route("a"), "apply", "-f", "-"));
        RemoteHost.Result otherMesh = remote.ursactl(config, route("b"), "apply", "-f", "-");
        RemoteHost.Result permission = remote.ursactl(config, """
                type: TrafficPermission
                mesh: a
                name: alice-permission
                sources:
                - match:
                    kuma.io/service: '*'
                destinations:
                - match:
                    kuma.io/service: '*'
                """, "apply", "-f", "-");
        RemoteHost.Result secrets = remote.ursactl(config, null, "get", "secrets", "-m", "a");

        for (RemoteHost.Result refused : List.of(otherMesh, permission, secrets)) {
            assertThat(refused.exitCode()).as("exit code; stderr: %s", refused.err()).isNotZero();
            assertThat(refused.err()).contains("user \"alice/team-a,mesh-system:authenticated\" cannot");
        }
        assertThat(otherMesh.err()).contains("TrafficRoute \"alice-route\" in mesh \"b\"");
        assertThat(permission.err()).contains("TrafficPermission \"alice-permission\" in mesh \"a\"");
        CpApi api = new CpApi(cp.apiUrl());
        assertThat(api.get("/meshes/a/traffic-routes/alice-route")).as("alice's route in mesh a").isPresent();
        assertThat(api.get("/meshes/b/traffic-routes/alice-route")).as("alice's route in mesh b").isEmpty();
        assertThat(api.get("/meshes/a/traffic-permissions/alice-permission")).isEmpty();
    }

    private static String route(String mesh) {
        return """
                type: TrafficRoute
                mesh: %s
                name: alice-route
                sources:
                - match:
                    kuma.io/service: web
                destinations:
                - match:
                    kuma.io/service: backend
                conf:
                  destination:
                    kuma.io/service: backend
                """.formatted(mesh);
    }

    /** {@code curl} in the other host: the status code, a space, then the body. */
    private static String curl(String method, String url, String body) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "-X", method, "-w", "%{http_code} ",
                "-o", "/dev/stderr", "-H", "Content-Type: application/json"));
        if (body != null) {
            command.addAll(List.of("--data-binary", "@-"));
        }
        command.add(url);
        RemoteHost.Result r = remote.run(body, command);
        assertThat(r.exitCode()).as("curl %s %s: %s", method, url, r.err()).isZero();
        return r.out() + r.err();
    }

    private static void ok(Ursactl.Result r) {
        assertThat(r.exitCode()).as("ursactl exit code; stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    }

    private static void ok(RemoteHost.Result r) {
        assertThat(r.exitCode()).as("ursactl on the other host; stdout:\n%s\nstderr:\n%s", r.out(), r.err())
                .isZero();
    }
}
