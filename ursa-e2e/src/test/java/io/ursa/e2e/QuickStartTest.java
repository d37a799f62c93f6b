package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path for a new user, through the real launchers: start {@code bin/ursa-cp run}, point
 * {@code bin/ursactl} at it, apply the seed document's examples in both forms and read them back.
 */
class QuickStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seedExamplesApplyInBothFormsAndReadBack(@TempDir Path tmp) throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of())) {
            Ursactl ctl = new Ursactl(tmp.resolve("ursactl.yaml"));
            assertOk(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));

            Ursactl.Result meshes = ctl.run(null, "get", "meshes");
            assertOk(meshes);
            assertThat(meshes.out()).contains("NAME").contains("default");

            assertOk(ctl.run("type: Mesh\nname: default\n", "apply", "-f", "-"));
            assertOk(ctl.run("""
                    apiVersion: kuma.io/v1alpha1
                    kind: Mesh
                    metadata:
                      name: no-passthrough
                    spec:
                      networking:
                        outbound:
                          passthrough: false
                    """, "apply", "-f", "-"));
            assertOk(ctl.run("""
                    type: TrafficRoute
                    name: route-example
                    mesh: default
                    sources:
                      - match:
                          kuma.io/service: frontend
                    destinations:
                      - match:
                          kuma.io/service: backend
                    conf:
                      split:
                        - weight: 90
                          destination:
                            kuma.io/service: backend
                            version: v1
                        - weight: 10
                          destination:
                            kuma.io/service: backend
                            version: v2
                    """, "apply", "-f", "-"));

            Ursactl.Result mesh = ctl.run(null, "get", "mesh", "no-passthrough", "-o", "yaml");
            assertOk(mesh);
            assertThat(mesh.out()).contains("passthrough: false");

            Ursactl.Result routes = ctl.run(null, "get", "traffic-routes", "-m", "default");
            assertOk(routes);
            assertThat(routes.out()).contains("route-example").contains("route-all-default");

            Ursactl.Result route = ctl.run(null, "get", "traffic-route", "route-example", "-m", "default", "-o", "json");
            assertOk(route);
            JsonNode split = JSON.readTree(route.out()).path("conf").path("split");
            assertThat(split.get(0).path("weight").asInt()).isEqualTo(90);
            assertThat(split.get(1).path("destination").path("version").asText()).isEqualTo("v2");

            Ursactl.Result inspect = ctl.run(null, "inspect", "meshes");
            assertOk(inspect);
            assertThat(inspect.out()).contains("no-passthrough").contains("TRAFFIC ROUTES");
        }
    }

    @Test
    void skipMeshCreationLeavesNoDefaultMesh(@TempDir Path tmp) throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"),
                Map.of("URSA_DEFAULTS_SKIP_MESH_CREATION", "true"))) {
            Ursactl ctl = new Ursactl(tmp.resolve("ursactl.yaml"));
            assertOk(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));
            Ursactl.Result meshes = ctl.run(null, "get", "meshes", "-o", "json");
            assertOk(meshes);
            assertThat(JSON.readTree(meshes.out()).path("total").asInt()).isZero();
        }
    }

    private static void assertOk(Ursactl.Result r) {
        assertThat(r.exitCode()).as("ursactl exit code; stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    }
}
