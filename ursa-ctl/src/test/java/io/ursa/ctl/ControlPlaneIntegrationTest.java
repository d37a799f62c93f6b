package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.ApiServer;
import io.ursa.apiserver.ApiServerConfig;
import io.ursa.ca.CaPlugins;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ursactl in-process against the real REST API server over a memory store. */
class ControlPlaneIntegrationTest {
    private static final String SEED = """
            type: Mesh
            name: default
            ---
            apiVersion: kuma.io/v1alpha1
            kind: Mesh
            metadata:
              name: demo
            spec:
              networking:
                outbound:
                  passthrough: false
            ---
            """ + trafficRoute("default", "route-1", Conf.WITH_CONF);

    private static final String DATAPLANE = """
            type: Dataplane
            mesh: default
            name: web-1
            networking:
              address: 10.0.0.1
              inbound:
              - port: 8080
                servicePort: 80
                tags:
                  kuma.io/service: web
                  version: v1
            """;

    @TempDir
    Path home;

    private ResourceManager manager;
    private ApiServer server;
    private CtlRunner ctl;

    @BeforeEach
    void startControlPlane() {
        manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), CaPlugins.standard());
        server = new ApiServer(manager, ResourceTypes.standard(),
                ApiServerConfig.defaults().withAddress("127.0.0.1", 0), () -> Json.json().createObjectNode(),
                "0.0.0-test", "test-instance");
        server.start();
        ctl = new CtlRunner(home, Clock.systemUTC());
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "test", "--address",
                "http://127.0.0.1:" + server.port());
        assertThat(added.exitCode()).as(added.toString()).isZero();
    }

    @AfterEach
    void stopControlPlane() {
        server.close();
    }

    @Test
    void appliesUniversalAndKubernetesFormsThenUpdatesThem() {
        CtlRunner.Result created = ctl.runWithStdin(SEED, "apply", "-f", "-");
        CtlRunner.Result updated = ctl.runWithStdin(SEED.replace("passthrough: false", "passthrough: true")
                .replace("name: default\n---", "name: default\nrouting: {localityAwareLoadBalancing: true}\n---"),
                "apply", "-f", "-");

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("""
                created Mesh "default"
                created Mesh "demo"
                created TrafficRoute "route-1" in mesh "default"
                """);
        assertThat(updated.out()).isEqualTo("""
                updated Mesh "default"
                updated Mesh "demo"
                unchanged TrafficRoute "route-1" in mesh "default"
                """);
    }

    @Test
    void reappliesWhatIsStoredAsUnchangedWithoutWriting() {
        apply(SEED);
        long version = manager.get(ResourceTypes.MESH, "", "demo").orElseThrow().meta().version();

        CtlRunner.Result again = ctl.runWithStdin(SEED, "apply", "-f", "-");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        Golden.assertMatches(again.toString(), "apply-unchanged.golden.txt");
        assertThat(manager.get(ResourceTypes.MESH, "", "demo").orElseThrow().meta().version()).isEqualTo(version);
    }

    private static final String CONF_TYPO = """
            type: Mesh
            name: typo
            mtls:
              enabledBackend: ca-1
              backends:
                - name: ca-1
                  type: builtin
                  conf:
                    caCrt:
                      RSAbits: 2048
            ---
            apiVersion: kuma.io/v1alpha1
            kind: Mesh
            metadata:
              name: metered
            spec:
              metrics:
                enabledBackend: prom
                backends:
                  - name: prom
                    type: prometheus
                    conf: {port: 5670, skipMtls: true}
            """;

    @Test
    void warnsAboutATypoInsideABackendsConf() {
        CtlRunner.Result result = ctl.runWithStdin(CONF_TYPO, "apply", "-f", "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.toString(), "apply-conf-typo.golden.txt");
        assertThat(manager.get(ResourceTypes.MESH, "", "typo")).isPresent();
    }

    @Test
    void strictRefusesATypoInsideABackendsConf() {
        CtlRunner.Result result = ctl.runWithStdin(CONF_TYPO, "apply", "-f", "-", "--strict");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        Golden.assertMatches(result.toString(), "apply-strict-conf-typo.golden.txt");
        assertThat(manager.get(ResourceTypes.MESH, "", "typo")).isEmpty();
        assertThat(manager.get(ResourceTypes.MESH, "", "metered")).isEmpty();
    }

    @Test
    void dryRunOfOneDocumentSaysWhatItsWriteWouldDoAndWritesNothing() {
        Map<String, Long> before = storeContents();

        CtlRunner.Result result = ctl.runWithStdin(CONF_TYPO.substring(0, CONF_TYPO.indexOf("---")),
                "apply", "-f", "-", "--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.toString(), "apply-dry-run-one.golden.txt");
        assertThat(storeContents()).as("nothing written").isEqualTo(before);
    }

    @Test
    void dryRunOfSeveralDocumentsSaysWhatEachWriteWouldDoAndWritesNothing() {
        apply(SEED);
        Map<String, Long> before = storeContents();

        CtlRunner.Result result = ctl.runWithStdin(SEED.replace("passthrough: false", "passthrough: true") + """
                ---
                type: Mesh
                name: fresh
                ---
                type: TrafficLog
                mesh: fresh
                name: all
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {backedn: file}
                """, "apply", "-f", "-", "--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.toString(), "apply-dry-run.golden.txt");
        assertThat(storeContents()).as("nothing written").isEqualTo(before);
    }

    @Test
    void dryRunWithARefusedDocumentReportsItAsAnApplyWouldAndWritesNothing() {
        Map<String, Long> before = storeContents();

        CtlRunner.Result result = ctl.runWithStdin(THREE_WITH_A_BAD_SECOND, "apply", "-f", "-", "--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        Golden.assertMatches(result.toString(), "apply-dry-run-refused.golden.txt");
        assertThat(storeContents()).as("nothing written").isEqualTo(before);
    }

    @Test
    void dryRunOfOneRefusedDocumentReportsItAndExits1() {
        CtlRunner.Result result = ctl.runWithStdin(trafficRoute("nowhere", "r", Conf.WITH_CONF),
                "apply", "-f", "-", "--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error: the control plane refused 1 of 1 document (dry run: nothing was"
                + " applied)\n  document 1 (TrafficRoute \"r\" in mesh \"nowhere\"): refused: ")
                .contains("nowhere is not found");
    }

    @Test
    void strictDryRunRefusesAConfTypo() {
        CtlRunner.Result result = ctl.runWithStdin(CONF_TYPO, "apply", "-f", "-", "--dry-run", "--strict");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("mtls.backends[0].conf.caCrt: unknown field (did you mean \"caCert\"?)");
        assertThat(manager.get(ResourceTypes.MESH, "", "typo")).isEmpty();
    }

    /** Every stored resource with its version. */
    private Map<String, Long> storeContents() {
        Map<String, Long> contents = new java.util.TreeMap<>();
        for (var type : ResourceTypes.standard().all()) {
            for (var r : manager.list(type, io.ursa.core.store.ListQuery.all()).items()) {
                contents.put(r.key().toString(), r.meta().version());
            }
        }
        return contents;
    }

    private static final String THREE_WITH_A_BAD_SECOND = """
            type: Mesh
            name: first
            ---
            type: TrafficPermission
            mesh: nowhere
            name: allow
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            ---
            type: Mesh
            name: third
            """;

    @Test
    void aDocumentTheServerRefusesLeavesTheWholeApplyUnapplied() {
        CtlRunner.Result result = ctl.runWithStdin(THREE_WITH_A_BAD_SECOND, "apply", "-f", "-");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: the control plane refused 1 of 3 documents, nothing was applied"
                + " (--continue-on-error applies the others)\n"
                + "  document 1 (Mesh \"first\"): ok\n"
                + "  document 2 (TrafficPermission \"allow\" in mesh \"nowhere\"): refused: ")
                .contains("nowhere").contains("  document 3 (Mesh \"third\"): ok");
        assertThat(manager.get(ResourceTypes.MESH, "", "first")).as("nothing applied").isEmpty();
        assertThat(manager.get(ResourceTypes.MESH, "", "third")).isEmpty();
    }

    @Test
    void continueOnErrorAppliesTheOthersAndNamesTheRefusedOne() {
        CtlRunner.Result result = ctl.runWithStdin(THREE_WITH_A_BAD_SECOND, "apply", "-f", "-",
                "--continue-on-error");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("created Mesh \"first\"\ncreated Mesh \"third\"\n");
        assertThat(result.err()).contains("failed document 2 (TrafficPermission \"allow\" in mesh \"nowhere\"): ")
                .contains("Error: 2 of 3 documents applied; refused: document 2");
        assertThat(manager.get(ResourceTypes.MESH, "", "first")).isPresent();
        assertThat(manager.get(ResourceTypes.MESH, "", "third")).isPresent();
    }

    @Test
    void appliesWhatIsStoredButNotAppliedAndSaysSo() {
        CtlRunner.Result result = ctl.runWithStdin("""
                type: Mesh
                name: default
                mtls:
                  enabledBackend: ca-1
                  backends: [{name: ca-1, type: builtin}]
                routing: {zoneEgress: true}
                """, "apply", "-f", "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("created Mesh \"default\"\n");
        assertThat(result.err()).isEqualTo("warning: Mesh \"default\" sets routing.zoneEgress: its Envoy sidecars"
                + " reach ExternalServices through the ZoneEgress proxies (none connected: unreachable), but proxyless"
                + " gRPC applications still connect straight to the ExternalService's address; zone egress is not"
                + " applied to them\n");
    }

    @Test
    void getsAppliedResourcesBackAsTableYamlAndJson() {
        apply(SEED);

        CtlRunner.Result meshes = ctl.run("get", "meshes");
        assertThat(meshes.exitCode()).as(meshes.toString()).isZero();
        assertThat(scrubAges(meshes.out())).isEqualTo("""
                NAME      mTLS   METRICS   LOGGING   TRACING   LOCALITY   ZONEEGRESS   AGE
                default   off    off       off       off       off        off          <age>
                demo      off    off       off       off       off        off          <age>
                """);

        CtlRunner.Result routes = ctl.run("get", "traffic-routes");
        assertThat(scrubAges(routes.out())).startsWith("MESH      NAME").contains("\ndefault   route-1 ");

        CtlRunner.Result yaml = ctl.run("get", "mesh", "demo", "-o", "yaml");
        assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
        assertThat(yaml.out()).startsWith("type: Mesh\nname: demo\n")
                .contains("networking:\n  outbound:\n    passthrough: false\n");

        CtlRunner.Result json = ctl.run("get", "traffic-route", "route-1", "-o", "json");
        JsonNode route = parse(json.out());
        assertThat(route.path("type").asText()).isEqualTo("TrafficRoute");
        assertThat(route.path("mesh").asText()).isEqualTo("default");
        assertThat(route.at("/conf/destination/kuma.io~1service").asText()).isEqualTo("*");
        assertThat(json.out()).contains("\"name\": \"route-1\"");

        JsonNode list = parse(ctl.run("get", "meshes", "-o", "json").out());
        assertThat(list.path("total").asInt()).isEqualTo(2);
        assertThat(list.path("items")).hasSize(2);
        assertThat(list.has("next")).isTrue();
    }

    @Test
    void listsGlobalSecretsWithoutTheirDataAndShowsOneAsTheApiReturnsIt() {
        apply("""
                type: GlobalSecret
                name: ca.extra-cert
                data: c2VjcmV0LXZhbHVl
                """);

        CtlRunner.Result list = ctl.run("get", "global-secrets");
        CtlRunner.Result one = ctl.run("get", "global-secret", "ca.extra-cert", "-o", "yaml");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(scrubAges(list.out())).isEqualTo("NAME            AGE\nca.extra-cert   <age>\n");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).startsWith("type: GlobalSecret\nname: ca.extra-cert\n")
                .endsWith("data: c2VjcmV0LXZhbHVl\n");
    }

    @Test
    void appliesZoneEgressesInBothFormsAndGetsThemAsKumactl() {
        CtlRunner.Result applied = ctl.runWithStdin("""
                type: ZoneEgress
                name: egress-1
                networking:
                  address: 10.0.0.5
                  port: 10002
                  admin:
                    port: 9902
                ---
                apiVersion: kuma.io/v1alpha1
                kind: ZoneEgress
                metadata:
                  name: egress-2
                spec:
                  zone: east
                  networking:
                    address: egress.example.com
                    port: 10002
                """, "apply", "-f", "-");

        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).isEqualTo("created ZoneEgress \"egress-1\"\ncreated ZoneEgress \"egress-2\"\n");

        CtlRunner.Result list = ctl.run("get", "zoneegresses");
        CtlRunner.Result one = ctl.run("get", "zoneegress", "egress-2", "-o", "yaml");
        CtlRunner.Result missing = ctl.run("get", "zoneegress", "nope");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(scrubAges(list.out())).isEqualTo("NAME       AGE\negress-1   <age>\negress-2   <age>\n");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).startsWith("type: ZoneEgress\nname: egress-2\n").contains("""
                zone: east
                networking:
                  address: egress.example.com
                  port: 10002
                """);
        assertThat(missing.exitCode()).isEqualTo(1);

        CtlRunner.Result deleted = ctl.run("delete", "zoneegress", "egress-1");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).isEqualTo("deleted ZoneEgress \"egress-1\"\n");
    }

    @Test
    void inspectControlPlanesListsTheInstanceThatAnsweredAsTheLeader() {
        CtlRunner.Result table = ctl.run("inspect", "control-planes");
        CtlRunner.Result json = ctl.run("inspect", "control-planes", "-o", "json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        String[] lines = table.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("ID\\s+HOSTNAME\\s+LEADER\\s+VERSION\\s+STARTED AGO\\s+LAST SEEN AGO");
        assertThat(lines[1]).matches("test-instance \\*\\s+\\S+\\s+yes\\s+0\\.0\\.0-test\\s+\\S+\\s+\\S+");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode body = parse(json.out());
        assertThat(body.path("total").asInt()).isEqualTo(1);
        assertThat(body.path("items").get(0).path("id").asText()).isEqualTo("test-instance");
    }

    @Test
    void refusesAnInvalidZoneEgressBeforeSendingIt() {
        CtlRunner.Result result = ctl.runWithStdin("""
                type: ZoneEgress
                name: egress-1
                networking:
                  port: 10002
                """, "apply", "-f", "-");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("networking.address: address can't be empty");
        assertThat(manager.get(ResourceTypes.ZONE_EGRESS, "", "egress-1")).isEmpty();
    }

    @Test
    void listsAccessRoleBindingsWithTheirSubjectsAndRoles() {
        apply("""
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
                - {type: User, name: alice}
                - {type: Group, name: team-a}
                roles: [traffic-a]
                """);

        CtlRunner.Result bindings = ctl.run("get", "access-role-bindings");
        CtlRunner.Result roles = ctl.run("get", "access-roles");

        assertThat(bindings.exitCode()).as(bindings.toString()).isZero();
        assertThat(scrubAges(bindings.out())).isEqualTo("""
                NAME      SUBJECTS                   ROLES       AGE
                default   Group/mesh-system:admin    admin       <age>
                team-a    User/alice, Group/team-a   traffic-a   <age>
                """);
        assertThat(scrubAges(roles.out())).isEqualTo("NAME        AGE\nadmin       <age>\ntraffic-a   <age>\n");
    }

    @Test
    void pagesWithSizeAndOffset() {
        apply(SEED);

        CtlRunner.Result first = ctl.run("get", "meshes", "--size", "1");
        CtlRunner.Result second = ctl.run("get", "meshes", "--size", "1", "--offset", "1");

        assertThat(scrubAges(first.out())).endsWith("""
                default   off    off       off       off       off        off          <age>

                Rerun command with --offset=1 argument to retrieve more resources
                """);
        assertThat(scrubAges(second.out())).contains("\ndemo ").doesNotContain("Rerun");
    }

    private static final String TYPOS = """
            type: Mesh
            name: demo
            mtsl:
              enabledBackend: ca-1
            networking:
              outbound:
                passthru: false
            ---
            apiVersion: kuma.io/v1alpha1
            kind: TrafficLog
            mesh: demo
            metadata:
              name: all
              lables: {team: a}
            spec:
              sources: [{match: {kuma.io/service: '*'}}]
              destinations: [{match: {kuma.io/service: '*'}}]
              conf: {backedn: file}
            """;

    @Test
    void appliesUnknownFieldsAsKumaDoesAndWarnsAboutEach() {
        CtlRunner.Result result = ctl.runWithStdin(TYPOS, "apply", "-f", "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.toString(), "apply-unknown-fields.golden.txt");
        assertThat(result.err()).startsWith(
                "warning: mesh demo: unknown field \"mtsl\" (did you mean \"mtls\"?)\n");
        assertThat(manager.get(ResourceTypes.MESH, "", "demo")).isPresent();
        assertThat(manager.get(ResourceTypes.TRAFFIC_LOG, "demo", "all")).isPresent();
    }

    @Test
    void strictRefusesEveryUnknownFieldBeforeSendingAnything() {
        CtlRunner.Result result = ctl.runWithStdin("type: Mesh\nname: fine\n---\n" + TYPOS,
                "apply", "-f", "-", "--strict");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        Golden.assertMatches(result.toString(), "apply-strict-unknown-fields.golden.txt");
        assertThat(manager.get(ResourceTypes.MESH, "", "fine")).as("nothing is stored").isEmpty();
        assertThat(manager.get(ResourceTypes.MESH, "", "demo")).isEmpty();
    }

    @Test
    void strictAppliesDocumentsWithoutUnknownFields() {
        CtlRunner.Result result = ctl.runWithStdin(SEED, "apply", "-f", "-", "--strict");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(manager.get(ResourceTypes.TRAFFIC_ROUTE, "default", "route-1")).isPresent();
    }

    @Test
    void dryRunWarnsAboutUnknownFieldsAndStrictDryRunRefusesThem() {
        CtlRunner.Result dry = ctl.runWithStdin(TYPOS, "apply", "-f", "-", "--dry-run");
        CtlRunner.Result client = ctl.runWithStdin(TYPOS, "apply", "-f", "-", "--dry-run=client");
        CtlRunner.Result strict = ctl.runWithStdin(TYPOS, "apply", "-f", "-", "--dry-run", "--strict");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.err().lines()).containsExactly(
                "warning: mesh demo: unknown field \"mtsl\" (did you mean \"mtls\"?)",
                "warning: mesh demo: unknown field \"networking.outbound.passthru\" (did you mean \"passthrough\"?)",
                "warning: trafficlog all: unknown field \"metadata.lables\" (did you mean \"labels\"?)",
                "warning: trafficlog all: unknown field \"conf.backedn\" (did you mean \"backend\"?)");
        assertThat(client.err()).isEqualTo(dry.err());
        assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(1);
        assertThat(manager.get(ResourceTypes.MESH, "", "demo")).isEmpty();
    }

    @Test
    void refusesAnInvalidDocumentAndSendsNothing() {
        CtlRunner.Result result = ctl.runWithStdin("type: Mesh\nname: fresh\n---\n"
                + trafficRoute("fresh", "bad-route", Conf.WITHOUT_CONF), "apply", "-f", "-");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("""
                Error: invalid resources, nothing was applied (1 of 2 documents)
                document 2 (TrafficRoute "bad-route" in mesh "fresh"):
                  conf: cannot be empty
                """);
        assertThat(manager.get(ResourceTypes.MESH, "", "fresh")).isEmpty();
    }

    @Test
    void dryRunPrintsAndSendsNothing() {
        CtlRunner.Result result = ctl.runWithStdin("type: Mesh\nname: {{ name }}\n", "apply", "-f", "-",
                "-v", "name=dry", "--dry-run=client");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("type: Mesh\nname: dry\n");
        assertThat(manager.get(ResourceTypes.MESH, "", "dry")).isEmpty();
    }

    @Test
    void appliesTemplatesWithVariables() {
        CtlRunner.Result result = ctl.runWithStdin("""
                type: Mesh
                name: {{ mesh.name }}
                networking:
                  outbound:
                    passthrough: {{ passthrough }}
                """, "apply", "-f", "-", "-v", "mesh.name=templated", "--var", "passthrough=false");

        assertThat(result.out()).isEqualTo("created Mesh \"templated\"\n");
        assertThat(ctl.run("get", "mesh", "templated", "-o", "yaml").out()).contains("passthrough: false");
    }

    @Test
    void showsTheServersDetailsAndCausesWhenItRefuses() {
        CtlRunner.Result result = ctl.runWithStdin(trafficRoute("nowhere", "r", Conf.WITH_CONF), "apply", "-f", "-");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: could not apply document 1 (TrafficRoute \"r\" in mesh \"nowhere\"): ")
                .contains("Mesh is not found")
                .contains("\n* mesh: mesh of name nowhere is not found");
    }

    @Test
    void deletesResourcesAndReportsMissingOnes() {
        apply(SEED);

        CtlRunner.Result deleted = ctl.run("delete", "traffic-route", "route-1", "-m", "default");
        CtlRunner.Result again = ctl.run("delete", "traffic-route", "route-1");
        CtlRunner.Result get = ctl.run("get", "traffic-route", "route-1");
        CtlRunner.Result mesh = ctl.run("delete", "mesh", "demo");

        assertThat(deleted.out()).isEqualTo("deleted TrafficRoute \"route-1\"\n");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("Error: there is no TrafficRoute with name \"route-1\"\n");
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.err()).isEqualTo("Error: there is no TrafficRoute with name \"route-1\"\n");
        assertThat(mesh.out()).isEqualTo("deleted Mesh \"demo\"\n");
        assertThat(manager.get(ResourceTypes.MESH, "", "demo")).isEmpty();
    }

    @Test
    void refusesToDeleteAMeshWithDataplanesShowingTheServersReason() {
        apply(SEED);
        apply(DATAPLANE);

        CtlRunner.Result result = ctl.run("delete", "mesh", "default");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: failed to delete Mesh with the name \"default\": ");
        assertThat(manager.get(ResourceTypes.MESH, "", "default")).isPresent();
    }

    @Test
    void listsDataplanesWithTagsAndAddress() {
        apply(SEED);
        apply(DATAPLANE);

        CtlRunner.Result result = ctl.run("get", "dataplanes");

        assertThat(scrubAges(result.out())).isEqualTo("""
                MESH      NAME    TAGS                             ADDRESS    AGE
                default   web-1   kuma.io/service=web version=v1   10.0.0.1   <age>
                """);
    }

    @Test
    void inspectsMeshesAndDataplanes() {
        apply(SEED);
        apply(DATAPLANE);

        CtlRunner.Result meshes = ctl.run("inspect", "meshes");
        CtlRunner.Result dataplanes = ctl.run("inspect", "dataplanes");

        assertThat(meshes.exitCode()).as(meshes.toString()).isZero();
        List<String> lines = meshes.out().lines().toList();
        assertThat(lines.get(0).split(" {2,}")).containsExactly("MESH", "DATAPLANES", "TRAFFIC PERMISSIONS",
                "TRAFFIC ROUTES", "CIRCUIT BREAKERS", "HEALTH CHECKS", "FAULT INJECTIONS", "EXTERNAL SERVICES",
                "TRAFFIC TRACES", "TRAFFIC LOGS", "PROXY TEMPLATES", "RATE LIMITS", "CA FINGERPRINT",
                "CA EXPIRATION");
        assertThat(lines).anySatisfy(line -> assertThat(line.split(" {2,}")).startsWith("default", "0/1")
                .endsWith("-", "-"));
        assertThat(lines).anySatisfy(line -> assertThat(line.split(" {2,}")).startsWith("demo", "0/0"));

        assertThat(dataplanes.exitCode()).as(dataplanes.toString()).isZero();
        assertThat(dataplanes.out().lines().toList().get(1).split(" {2,}"))
                .startsWith("default", "web-1", "kuma.io/service=web version=v1", "Offline", "never");
    }

    @Test
    void inspectMeshesShowsTheCaFingerprintShortInTheTableAndWholeInYamlAndJson() {
        apply("""
                type: Mesh
                name: secure
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: builtin
                """);
        JsonNode ca = parse(ctl.run("inspect", "meshes", "-o", "json").out()).path("items").get(0).path("meshCa");
        String fingerprint = ca.path("fingerprint").asText();
        String notAfter = ca.path("notAfter").asText();

        CtlRunner.Result table = ctl.run("inspect", "meshes");
        CtlRunner.Result yaml = ctl.run("inspect", "meshes", "-o", "yaml");

        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(ca.path("backend").asText()).isEqualTo("ca-1");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out().lines().toList().get(1).split(" {2,}")).startsWith("secure", "0/0")
                .endsWith(fingerprint.substring(0, 23) + "...", notAfter.substring(0, 10));
        assertThat(yaml.out()).contains("meshCa:\n", fingerprint, notAfter, "builtin");
    }

    @Test
    void printsClientAndServerVersions() {
        CtlRunner.Result result = ctl.run("version");

        assertThat(result.out()).startsWith("Client: Ursa ").contains("\nServer: ");
        assertThat(result.err()).isEmpty();

        CtlRunner.Result detailed = ctl.run("version", "--detailed");
        assertThat(detailed.out()).contains("(Java " + Runtime.version()).contains("instance ");
    }

    private enum Conf { WITH_CONF, WITHOUT_CONF }

    /** A TrafficRoute from every service to every service; without conf it is invalid. */
    private static String trafficRoute(String mesh, String name, Conf conf) {
        String route = """
                type: TrafficRoute
                mesh: %s
                name: %s
                sources:
                - match:
                    kuma.io/service: '*'
                destinations:
                - match:
                    kuma.io/service: '*'
                """.formatted(mesh, name);
        return conf == Conf.WITHOUT_CONF ? route : route + """
                conf:
                  destination:
                    kuma.io/service: '*'
                """;
    }

    private void apply(String yaml) {
        CtlRunner.Result result = ctl.runWithStdin(yaml, "apply", "-f", "-");
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private static String scrubAges(String table) {
        return table.replaceAll("(?m)\\d+[smhdy]$", "<age>");
    }

    private static JsonNode parse(String json) {
        try {
            return Json.json().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
