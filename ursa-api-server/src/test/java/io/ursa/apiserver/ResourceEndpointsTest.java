package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceEndpointsTest {
    static final Scrubber TIMES = Scrubber.none().fields("creationTime", "modificationTime");

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

    @Test
    void aDryRunChecksEverythingAndWritesNothing() {
        Reply wouldCreate = api.putYaml("/meshes/dry?dryRun=true", "type: Mesh\nname: dry\nmtsl: {}\n");
        Reply invalid = api.putYaml("/meshes/dry?dryRun=true", "type: Mesh\nname: dry\nnetworking: {outbound: "
                + "{passthrough: maybe}}\n");
        Reply noMesh = api.putYaml("/meshes/nowhere/traffic-permissions/tp?dryRun=true", """
                type: TrafficPermission
                mesh: nowhere
                name: tp
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                """);

        assertThat(wouldCreate.status()).as(wouldCreate.toString()).isEqualTo(200);
        assertThat(wouldCreate.json().path("dryRun").asBoolean()).isTrue();
        assertThat(wouldCreate.json().path("outcome").asText()).isEqualTo("created");
        assertThat(wouldCreate.json().path("warnings").get(0).asText()).contains("unknown field \"mtsl\"");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(noMesh.status()).isBetween(400, 404);
        assertThat(api.get("/meshes/dry").status()).as("nothing written").isEqualTo(404);
    }

    @Test
    void putCreatesWith201ThenUpdatesWith200() {
        Reply created = api.putYaml("/meshes/demo/traffic-logs/all", Fixtures.trafficLog("demo", "all"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().isObject() && created.json().isEmpty()).isTrue();
        assertThat(created.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));

        Reply updated = api.putJson("/meshes/demo/traffic-logs/all", Fixtures.trafficLogJson("demo", "all")
                .replace("\"*\"}}]}", "\"web\"}}]}"));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().isObject() && updated.json().isEmpty()).as("Kuma's answer").isTrue();
        assertThat(updated.header("ETag")).contains("\"2\"");
        assertThat(api.get("/meshes/demo/traffic-logs/all").header("ETag")).contains("\"2\"");
    }

    @Test
    void aPutOfTheStoredSpecIsUnchangedAndWritesNothing() {
        api.putYaml("/meshes/demo/traffic-logs/all", Fixtures.trafficLog("demo", "all"));
        Map<String, Long> before = api.storeContents();

        // the same spec in the other form, other key order and spelling: equal once decoded
        Reply same = api.putJson("/meshes/demo/traffic-logs/all", Fixtures.trafficLogJson("demo", "all"));
        Reply wouldBe = api.putJson("/meshes/demo/traffic-logs/all?dryRun=true",
                Fixtures.trafficLogJson("demo", "all"));

        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(same.json().path("outcome").asText()).isEqualTo("unchanged");
        assertThat(same.header("ETag")).contains("\"1\"");
        assertThat(wouldBe.json().path("outcome").asText()).isEqualTo("unchanged");
        assertThat(api.storeContents()).as("no version bumped").isEqualTo(before);
    }

    @Test
    void aWriteOfAPolicyTheProxiesApplyHasNoWarning() {
        Reply stored = api.putYaml("/meshes/demo/virtual-outbounds/custom", """
                type: VirtualOutbound
                mesh: demo
                name: custom
                selectors: [{match: {kuma.io/service: '*'}}]
                conf:
                  host: '{{.svc}}.mesh'
                  port: '80'
                  parameters: [{name: svc, tagKey: kuma.io/service}]
                """);
        Reply applied = api.putYaml("/meshes/demo/traffic-logs/all", Fixtures.trafficLog("demo", "all"));

        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(stored.header("Warning")).as("VirtualOutbound is applied to transparently proxied sidecars")
                .isEmpty();
        assertThat(applied.header("Warning")).isEmpty();
    }

    @Test
    void aMeshWithZoneEgressIsStoredWithAWarningThatItIsNotAppliedYet() {
        Reply stored = api.putYaml("/meshes/egress", """
                type: Mesh
                name: egress
                mtls:
                  enabledBackend: ca-1
                  backends: [{name: ca-1, type: builtin}]
                routing: {zoneEgress: true}
                """);
        Reply without = api.putYaml("/meshes/plain", Fixtures.mesh("plain"));

        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(stored.header("Warning")).contains("299 - \"Mesh \\\"egress\\\" sets routing.zoneEgress: its"
                + " Envoy sidecars reach ExternalServices through the ZoneEgress proxies (none connected: unreachable),"
                + " but proxyless gRPC applications still connect straight to the ExternalService's address; zone"
                + " egress is not applied to them\"");
        assertThat(api.get("/meshes/egress").json().path("routing").path("zoneEgress").asBoolean()).isTrue();
        assertThat(without.status()).as(without.toString()).isEqualTo(201);
        assertThat(without.header("Warning")).isEmpty();
    }

    @Test
    void aWriteWithUnknownFieldsSucceedsAndWarnsOncePerFieldInHeadersAndBody() {
        Reply stored = api.putYaml("/meshes/typos", """
                type: Mesh
                name: typos
                mtsl:
                  enabledBackend: ca-1
                mtls:
                  backends:
                    - name: ca-1
                      type: builtin
                      cnf: {caCert: {RSAbits: 2048}}
                      conf: {caCert: {RSAbits: 2048}, caCrt: {expiration: 1y}}
                colour: blue
                """);

        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        List<String> expected = List.of(
                "mesh typos: unknown field \"mtsl\" (did you mean \"mtls\"?)",
                "mesh typos: unknown field \"mtls.backends[0].cnf\" (did you mean \"conf\"?)",
                "mesh typos: unknown field \"mtls.backends[0].conf.caCrt\" (did you mean \"caCert\"?)",
                "mesh typos: unknown field \"colour\"");
        assertThat(warnings(stored)).containsExactlyElementsOf(expected);
        assertThat(stored.json().path("warnings")).extracting(JsonNode::asText).containsExactlyElementsOf(expected);
        GoldenJson.assertMatches(stored.body(), "testdata/api/put-unknown-fields.golden.json", Scrubber.none());
        var mesh = api.get("/meshes/typos").json();
        assertThat(mesh.has("mtsl") || mesh.has("colour")).as("unknown fields are dropped, as Kuma drops them")
                .isFalse();
        assertThat(mesh.path("mtls").path("enabledBackend").isMissingNode()).isTrue();
        assertThat(mesh.path("mtls").path("backends").path(0).path("conf").has("caCrt"))
                .as("a backend's conf is kept as written, as Kuma keeps it").isTrue();

        Reply updated = api.putYaml("/meshes/typos", "type: Mesh\nname: typos\nnetworking: {outbound: {passthru: false}}\n");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(warnings(updated)).containsExactly(
                "mesh typos: unknown field \"networking.outbound.passthru\" (did you mean \"passthrough\"?)");
    }

    @Test
    void aKubernetesFormWriteWarnsAboutMetaKeysAndSpecFieldsWithUniversalPaths() {
        Reply stored = api.putYaml("/meshes/demo/traffic-logs/k8s", """
                apiVersion: kuma.io/v1alpha1
                kind: TrafficLog
                mesh: demo
                metadata:
                  name: k8s
                  lables: {team: a}
                spec:
                  sources: [{match: {kuma.io/service: '*'}}]
                  destinations: [{match: {kuma.io/service: '*'}}]
                  conf: {backedn: file}
                """);

        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(warnings(stored)).containsExactly(
                "trafficlog k8s: unknown field \"metadata.lables\" (did you mean \"labels\"?)",
                "trafficlog k8s: unknown field \"conf.backedn\" (did you mean \"backend\"?)");
    }

    @Test
    void aConfTypoInTheKubernetesFormOfAMetricsBackendIsWarnedAboutAndADryRunWritesNothing() {
        String mesh = """
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
                        conf: {port: 5670, skipMtls: true, envoy: {filterRegx: 'http.*'}}
                """;
        Map<String, Long> before = api.storeContents();

        Reply checked = api.putYaml("/meshes/metered?dryRun=true", mesh);

        List<String> expected = List.of(
                "mesh metered: unknown field \"metrics.backends[0].conf.skipMtls\" (did you mean \"skipMTLS\"?)",
                "mesh metered: unknown field \"metrics.backends[0].conf.envoy.filterRegx\" (did you mean "
                        + "\"filterRegex\"?)");
        assertThat(checked.status()).as(checked.toString()).isEqualTo(200);
        assertThat(checked.json().path("outcome").asText()).isEqualTo("created");
        assertThat(warnings(checked)).containsExactlyElementsOf(expected);
        assertThat(checked.json().path("warnings")).extracting(JsonNode::asText).containsExactlyElementsOf(expected);
        assertThat(api.storeContents()).as("a dry run writes nothing").isEqualTo(before);
        assertThat(api.get("/meshes/metered").status()).isEqualTo(404);

        Reply stored = api.putYaml("/meshes/metered", mesh);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(warnings(stored)).containsExactlyElementsOf(expected);
    }

    @Test
    void aBodyFullOfUnknownKeysGetsAFewWarningsAndACount() {
        StringBuilder body = new StringBuilder("{\"type\":\"Mesh\",\"name\":\"many\"");
        for (int i = 0; i < 500; i++) {
            body.append(",\"").append(String.valueOf((char) ('a' + i % 26)).repeat(300)).append(i).append("\":1");
        }
        Reply stored = api.putJson("/meshes/many", body.append('}').toString());

        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        List<String> warnings = warnings(stored);
        assertThat(warnings).hasSize(21);
        assertThat(warnings.get(20)).isEqualTo("mesh many: 480 more unknown fields");
        assertThat(stored.json().path("warnings").size()).isEqualTo(21);
    }

    @Test
    void aWriteWithoutWarningsStillAnswersTheEmptyObject() {
        Reply stored = api.putYaml("/meshes/plain", Fixtures.mesh("plain"));

        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(warnings(stored)).isEmpty();
        assertThat(stored.body()).isEqualTo("{}");
    }

    /** The texts of every {@code Warning: 299 - "..."} header, in order. */
    private static List<String> warnings(Reply reply) {
        return reply.headers().entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase("Warning"))
                .flatMap(e -> e.getValue().stream())
                .map(ResourceEndpointsTest::warningText)
                .toList();
    }

    private static String warningText(String header) {
        assertThat(header).startsWith("299 - \"").endsWith("\"");
        return header.substring("299 - \"".length(), header.length() - 1).replace("\\\"", "\"");
    }

    @Test
    void updateReplacesTheSpecAndKeepsTheCreationTime() {
        api.putYaml("/meshes/demo/traffic-logs/all", Fixtures.trafficLog("demo", "all") + "conf:\n  backend: file\n");
        String created = api.get("/meshes/demo/traffic-logs/all").json().path("creationTime").asText();

        api.putYaml("/meshes/demo/traffic-logs/all", Fixtures.trafficLog("demo", "all"));

        var stored = api.get("/meshes/demo/traffic-logs/all").json();
        assertThat(stored.has("conf")).as(stored.toString()).isFalse();
        assertThat(stored.path("creationTime").asText()).isEqualTo(created);
    }

    @Test
    void getMeshAnswersTheUniversalForm() {
        Reply reply = api.get("/meshes/demo");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("ETag")).contains("\"1\"");
        GoldenJson.assertMatches(reply.body(), "testdata/api/mesh-get.golden.json", TIMES);
    }

    @Test
    void acceptsTheKubernetesForm() {
        Reply reply = api.putYaml("/meshes/demo/traffic-logs/k8s", """
                apiVersion: kuma.io/v1alpha1
                kind: TrafficLog
                mesh: demo
                metadata:
                  name: k8s
                spec:
                """ + Fixtures.SELECT_ALL.indent(2));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        var stored = api.get("/meshes/demo/traffic-logs/k8s").json();
        assertThat(stored.path("type").asText()).isEqualTo("TrafficLog");
        assertThat(stored.path("sources").path(0).path("match").path("kuma.io/service").asText()).isEqualTo("*");
    }

    @Test
    void acceptsYamlWithoutAContentTypeSayingSo() {
        Reply reply = api.put("/meshes/demo/traffic-logs/plain", Fixtures.trafficLog("demo", "plain"), "text/plain");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    @Test
    void deleteRemovesTheResourceAndAnswersAnEmptyObject() {
        api.seed(Fixtures.trafficLog("demo", "doomed"));

        Reply reply = api.delete("/meshes/demo/traffic-logs/doomed");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{}");
        assertThat(api.get("/meshes/demo/traffic-logs/doomed").status()).isEqualTo(404);
    }

    @Test
    void deletingAMissingResourceIs404() {
        Reply reply = api.delete("/meshes/demo/traffic-logs/ghost");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not delete a resource");
        assertThat(reply.json().path("details").asText()).isEqualTo("Not found");
        assertThat(reply.json().has("causes")).isFalse();
    }

    @Test
    void gettingAMissingResourceIs404() {
        Reply reply = api.get("/meshes/demo/traffic-logs/ghost");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not retrieve a resource");
    }

    @Test
    void refusesDeletingMeshWithDataplanes() {
        api.seed(Fixtures.DATAPLANES);
        Map<String, Long> before = api.storeContents();

        Reply reply = api.delete("/meshes/demo");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not delete a resource");
        assertThat(reply.causes()).containsExactly(
                "mesh: unable to delete mesh, there are still some dataplanes attached");
        assertThat(api.storeContents()).isEqualTo(before);
    }

    @Test
    void listsAcrossMeshesOrderedByMeshThenName() {
        api.seed(Fixtures.MESH_OTHER);
        api.seed(Fixtures.trafficLog("other", "a") + "---\n" + Fixtures.trafficLog("demo", "b") + "---\n"
                + Fixtures.trafficLog("demo", "a"));

        var list = api.get("/traffic-logs").json();

        assertThat(list.path("total").asLong()).isEqualTo(3);
        assertThat(Reply.itemsOf(list, "mesh")).containsExactly("demo", "demo", "other");
        assertThat(Reply.itemsOf(list, "name")).containsExactly("a", "b", "a");
        assertThat(list.path("next").isNull()).isTrue();
    }

    @Test
    void listsOneMeshOnly() {
        api.seed(Fixtures.MESH_OTHER);
        api.seed(Fixtures.trafficLog("other", "a") + "---\n" + Fixtures.trafficLog("demo", "b"));

        var list = api.get("/meshes/other/traffic-logs").json();

        assertThat(list.path("total").asLong()).isEqualTo(1);
        assertThat(Reply.itemsOf(list, "mesh")).containsExactly("other");
    }

    @Test
    void paginationLinksToTheNextPageWithRawAmpersands() {
        for (String name : List.of("a", "b", "c", "d", "e")) {
            api.seed(Fixtures.trafficLog("demo", "log-" + name));
        }

        Reply first = api.get("/meshes/demo/traffic-logs?size=2&name=log-");

        assertThat(first.body()).contains("&size=2").doesNotContain("\\u0026");
        GoldenJson.assertMatches(first.body(), "testdata/api/list-with-next.golden.json",
                TIMES.text(api.address(), "{{address}}"));
        Reply last = api.get("/meshes/demo/traffic-logs?name=log-&offset=4&size=2");
        assertThat(Reply.itemsOf(last.json(), "name")).containsExactly("log-e");
        assertThat(last.json().path("next").isNull()).isTrue();
    }

    @Test
    void followingNextVisitsEveryItemOnce() {
        for (int i = 0; i < 7; i++) {
            api.seed(Fixtures.trafficLog("demo", "log-" + i));
        }
        List<String> seen = new ArrayList<>();
        String next = api.address() + "/traffic-logs?size=3";
        while (next != null) {
            var page = api.get(next.substring(api.address().length())).json();
            seen.addAll(Reply.itemsOf(page, "name"));
            assertThat(page.path("total").asLong()).isEqualTo(7);
            next = page.path("next").isNull() ? null : page.path("next").asText();
        }
        assertThat(seen).containsExactly("log-0", "log-1", "log-2", "log-3", "log-4", "log-5", "log-6");
    }

    @Test
    void nameQueryFiltersBySubstring() {
        api.seed(Fixtures.trafficLog("demo", "frontend-logs") + "---\n" + Fixtures.trafficLog("demo", "backend-logs"));

        var list = api.get("/meshes/demo/traffic-logs?name=front").json();

        assertThat(Reply.itemsOf(list, "name")).containsExactly("frontend-logs");
        assertThat(list.path("total").asLong()).isEqualTo(1);
    }

    @Test
    void staleIfMatchIsAConflictAndChangesNothing() {
        api.seed(Fixtures.trafficLog("demo", "guarded"));
        api.seed(Fixtures.trafficLog("demo", "guarded").replace("'*'", "web"));
        Map<String, Long> before = api.storeContents();

        Reply reply = api.putYaml("/meshes/demo/traffic-logs/guarded", Fixtures.trafficLog("demo", "guarded"),
                "If-Match", "\"1\"");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not update a resource");
        assertThat(reply.json().path("details").asText()).isEqualTo("Conflict");
        assertThat(reply.json().path("causes").get(0).path("message").asText())
                .contains("expected version 1, stored version 2");
        assertThat(api.storeContents()).isEqualTo(before);
    }

    @Test
    void currentIfMatchUpdates() {
        api.seed(Fixtures.trafficLog("demo", "guarded"));
        String etag = api.get("/meshes/demo/traffic-logs/guarded").header("ETag").orElseThrow();

        Reply reply = api.putYaml("/meshes/demo/traffic-logs/guarded",
                Fixtures.trafficLog("demo", "guarded").replace("'*'", "web"), "If-Match", etag);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("ETag")).contains("\"2\"");
    }

    @Test
    void ifMatchOnAMissingResourceIs404AndCreatesNothing() {
        Map<String, Long> before = api.storeContents();

        Reply reply = api.putYaml("/meshes/demo/traffic-logs/new", Fixtures.trafficLog("demo", "new"),
                "If-Match", "\"1\"");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
        assertThat(api.storeContents()).isEqualTo(before);
    }

    @Test
    void readOnlyModeRefusesWritesWithPlainText405() {
        ApiServerConfig readOnly = ApiServerConfig.defaults().withReadOnly(true);
        try (TestServer ro = TestServer.start(readOnly, DataplaneInsights.none())) {
            ro.seed(Fixtures.MESH_DEMO);
            Map<String, Long> before = ro.storeContents();

            Reply put = ro.putYaml("/meshes/demo/traffic-logs/x", Fixtures.trafficLog("demo", "x"));
            Reply delete = ro.delete("/meshes/demo");

            for (Reply reply : List.of(put, delete)) {
                assertThat(reply.status()).isEqualTo(405);
                assertThat(reply.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
                assertThat(reply.body()).isEqualTo(ReadOnlyMode.MESSAGE);
            }
            assertThat(ro.get("/meshes/demo").status()).isEqualTo(200);
            assertThat(ro.storeContents()).isEqualTo(before);
        }
    }

    @Test
    void corsIsOffByDefault() {
        Reply preflight = api.send(api.request("/meshes/demo")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://gui.example")
                .header("Access-Control-Request-Method", "PUT"));
        Reply get = api.send(api.request("/meshes/demo").header("Origin", "https://gui.example").GET());

        assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("Access-Control-Allow-Origin")).isEmpty();
    }
}
