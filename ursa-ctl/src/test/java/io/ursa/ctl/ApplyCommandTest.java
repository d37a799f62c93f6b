package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply without a control plane: parsing, templates, client-side validation and --dry-run=client. */
class ApplyCommandTest {
    @TempDir
    Path home;

    @Test
    void dryRunPrintsRenderedResourcesInUniversalFormAndSendsNothing() throws Exception {
        CtlRunner ctl = new CtlRunner(home);
        Path file = home.resolve("resources.yaml");
        Files.writeString(file, """
                type: Mesh
                name: {{ mesh.name }}
                ---
                apiVersion: kuma.io/v1alpha1
                kind: Mesh
                metadata:
                  name: k8s-{{ mesh.name }}
                spec:
                  networking:
                    outbound:
                      passthrough: false
                ---
                # only a comment: not a document
                """);

        try (IndexStub stub = new IndexStub()) {
            addControlPlane(ctl, stub);
            CtlRunner.Result result = ctl.run("apply", "-f", file.toString(), "-v", "mesh.name=demo",
                    "--dry-run=client");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo("""
                    type: Mesh
                    name: demo
                    ---
                    type: Mesh
                    name: k8s-demo
                    networking:
                      outbound:
                        passthrough: false
                    """);
            assertThat(stub.requests()).containsExactly("GET /");
        }
    }

    @Test
    void aPlaceholderWithoutAValueIsNamedWithTheFlagThatGivesIt() {
        CtlRunner.Result result = new CtlRunner(home).runWithStdin("type: Mesh\nname: {{ name }}\n",
                "apply", "-f", "-", "--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("document 1:")
                .contains("template variable \"name\" has no value (pass it with -v name=VALUE)")
                .doesNotContain("MappingStartEvent");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void readsStdinAndDefaultsTheMeshOfKubernetesPolicies() {
        CtlRunner.Result result = new CtlRunner(home).runWithStdin("""
                apiVersion: kuma.io/v1alpha1
                kind: TrafficPermission
                metadata:
                  name: allow-all
                spec:
                  sources:
                  - match:
                      kuma.io/service: '*'
                  destinations:
                  - match:
                      kuma.io/service: '*'
                """, "apply", "-f", "-", "--dry-run=client");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("type: TrafficPermission\nmesh: default\nname: allow-all\n");
    }

    @Test
    void reportsEveryInvalidDocumentWithItsFieldsAndSendsNothing() throws Exception {
        CtlRunner ctl = new CtlRunner(home);
        Path file = home.resolve("bad.yaml");
        Files.writeString(file, """
                type: Mesh
                name: fine
                ---
                type: TrafficPermission
                mesh: Bad Mesh
                name: Route_1
                ---
                type: Gateway
                name: x
                ---
                apiVersion: kuma.io/v1alpha1
                kind: Mesh
                metadata:
                  name: UPPER
                ---
                type: Mesh
                name: [unclosed
                """);

        try (IndexStub stub = new IndexStub()) {
            addControlPlane(ctl, stub);
            CtlRunner.Result result = ctl.run("apply", "-f", file.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).startsWith("Error: invalid resources, nothing was applied (4 of 5 documents)\n")
                    .contains("""
                            document 2 (TrafficPermission "Route_1" in mesh "Bad Mesh"):
                              name: invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_' symbols.
                              mesh: invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_' symbols.
                            """)
                    .contains("document 3 (Gateway \"x\"):\n  type: unknown type \"Gateway\"")
                    .contains("""
                            document 4 (Mesh "UPPER"):
                              metadata.name: invalid characters.""")
                    .contains("document 5:\n  could not parse YAML")
                    .doesNotContain("document 1");
            assertThat(stub.requests()).as("only the GET / of config add").containsExactly("GET /");
        }
    }

    @Test
    void failsWhenThereIsNothingToApply() {
        CtlRunner.Result result = new CtlRunner(home).runWithStdin("# nothing\n---\n", "apply", "-f", "-");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: no resource(s) passed to apply\n");
    }

    @Test
    void failsClearlyForAMissingFile() {
        CtlRunner.Result result = new CtlRunner(home).run("apply", "-f", home.resolve("nope.yaml").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: could not read " + home.resolve("nope.yaml") + ": no such file\n");
    }

    @Test
    void requiresTheFileOption() {
        CtlRunner.Result result = new CtlRunner(home).run("apply");

        assertThat(result.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(result.err()).startsWith("Error: Missing required option: '--file=FILE'\n");
    }

    @Test
    void strictRefusesTheWholeApplyWhenTheControlPlaneReportsAFieldThisClientKnows() {
        CtlRunner ctl = new CtlRunner(home);
        try (ApiStub stub = ApiStub.plain()) {
            stub.answer("PUT", "/meshes/first?dryRun=true", 200, "{\"dryRun\":true,\"outcome\":\"created\","
                    + "\"warnings\":[\"mesh first: unknown field \\\"routing\\\"\"]}",
                    Map.of("Warning", "299 - \"mesh first: unknown field \\\"routing\\\"\""));
            stub.answer("PUT", "/meshes/second?dryRun=true", 200, "{\"dryRun\":true,\"outcome\":\"created\"}",
                    Map.of());
            CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "stub", "--address",
                    stub.address());
            assertThat(added.exitCode()).as(added.toString()).isZero();

            CtlRunner.Result result = ctl.runWithStdin("""
                    type: Mesh
                    name: first
                    routing: {localityAwareLoadBalancing: true}
                    ---
                    type: Mesh
                    name: second
                    """, "apply", "-f", "-", "--strict");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.out()).as("nothing applied").isEmpty();
            assertThat(result.err()).isEqualTo("""
                    Error: the control plane refused 1 of 2 documents, nothing was applied (--continue-on-error \
                    applies the others)
                      document 1 (Mesh "first"): refused (--strict): mesh first: unknown field "routing"
                      document 2 (Mesh "second"): ok
                    """);
            assertThat(stub.requests()).filteredOn(r -> r.method().equals("PUT")).extracting(ApiStub.Request::path)
                    .containsExactly("/meshes/first?dryRun=true", "/meshes/second?dryRun=true");
        }
    }

    @Test
    void anUnknownDryRunModeIsAUsageMistake() {
        CtlRunner.Result result = new CtlRunner(home).runWithStdin("type: Mesh\nname: demo\n",
                "apply", "-f", "-", "--dry-run=maybe");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(result.err()).isEqualTo("Error: invalid value for --dry-run: \"maybe\" (expected: server or client)\n");
    }

    private static void addControlPlane(CtlRunner ctl, IndexStub stub) {
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "stub", "--address",
                stub.address());
        assertThat(added.exitCode()).as(added.toString()).isZero();
    }
}
