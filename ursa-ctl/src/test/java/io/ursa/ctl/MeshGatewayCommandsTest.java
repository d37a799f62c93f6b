package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.testing.bodies.ResourceTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get meshgateway(s)}, {@code get meshgatewayroute(s)}, {@code apply -f} of both forms and
 * {@code inspect meshgateway NAME} against a stand-in API answering in Kuma 2.0's shapes.
 */
class MeshGatewayCommandsTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());
    private static final ResourceTemplates TEMPLATES = new ResourceTemplates(CODEC);

    @TempDir
    Path home;

    private final ApiStub stub = ApiStub.plain();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void listsGatewaysAndRoutesWithKumactlsColumns() {
        stub.answer("GET", "/meshes/default/meshgateways", 200, Golden.read("get-meshgateways.input.json"))
                .answer("GET", "/meshes/demo/meshgatewayroutes", 200, Golden.read("get-meshgatewayroutes.input.json"));
        CtlRunner ctl = connected();

        CtlRunner.Result gateways = ctl.run("get", "meshgateways");
        CtlRunner.Result routes = ctl.run("get", "meshgatewayroutes", "--mesh", "demo");

        assertThat(gateways.exitCode()).as(gateways.toString()).isZero();
        Golden.assertMatches(gateways.out(), "get-meshgateways.golden.txt");
        assertThat(routes.exitCode()).as(routes.toString()).isZero();
        Golden.assertMatches(routes.out(), "get-meshgatewayroutes.golden.txt");
    }

    @Test
    void showsOneGatewayAsATableOrAsTheApiAnswersIt() {
        ObjectNode edge = gateway().put("modificationTime", "2024-05-01T11:00:00Z");
        stub.answer("GET", "/meshes/default/meshgateways/edge", 200, CODEC.writeJson(edge));
        CtlRunner ctl = connected();

        CtlRunner.Result table = ctl.run("get", "meshgateway", "edge");
        CtlRunner.Result yaml = ctl.run("get", "meshgateway", "edge", "-o", "yaml");
        CtlRunner.Result missing = ctl.run("get", "meshgatewayroute", "nope");

        assertThat(table.out()).isEqualTo("MESH      NAME   AGE\ndefault   edge   1h\n");
        assertThat(yaml.out()).contains("type: MeshGateway\n").contains("protocol: HTTPS\n");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Error: there is no MeshGatewayRoute with name \"nope\"\n");
    }

    @Test
    void appliesBothFormsToTheRegistryPaths() throws Exception {
        String wouldCreate = "{\"dryRun\":true,\"outcome\":\"created\"}";
        stub.answer("PUT", "/meshes/default/meshgateways/edge?dryRun=true", 200, wouldCreate)
                .answer("PUT", "/meshes/demo/meshgatewayroutes/shop?dryRun=true", 200, wouldCreate)
                .answer("PUT", "/meshes/default/meshgateways/edge", 201, "{}")
                .answer("PUT", "/meshes/demo/meshgatewayroutes/shop", 201, "{}");
        ObjectNode routeInKubernetesForm = CODEC.toKubernetes(CODEC.decode(
                TEMPLATES.universal(ResourceTypes.MESH_GATEWAY_ROUTE, "demo", "shop")));
        Path file = Files.writeString(home.resolve("gateway.yaml"),
                CODEC.writeYaml(gateway()) + "---\n" + CODEC.writeYaml(routeInKubernetesForm));

        CtlRunner.Result result = connected().run("apply", "-f", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<ApiStub.Request> puts = stub.requests().stream()
                .filter(r -> r.method().equals("PUT") && !r.path().endsWith("dryRun=true")).toList();
        assertThat(puts).extracting(ApiStub.Request::path)
                .containsExactly("/meshes/default/meshgateways/edge", "/meshes/demo/meshgatewayroutes/shop");
        assertThat(puts.get(1).body()).contains("\"type\":\"MeshGatewayRoute\"").contains("\"mesh\":\"demo\"")
                .contains("\"replacePrefixMatch\"");
    }

    @Test
    void applyRefusesAnInvalidGatewayNamingTheFieldAndSendsNothing() throws Exception {
        ObjectNode gateway = gateway();
        ((ObjectNode) gateway.at("/conf/listeners/0/tls")).remove("certificates");
        Path file = Files.writeString(home.resolve("gateway.yaml"), CODEC.writeYaml(gateway));

        CtlRunner.Result result = connected().run("apply", "-f", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains(
                "conf.listeners[0].tls.certificates: cannot be empty in TLS termination mode");
        assertThat(stub.requests()).noneMatch(r -> r.method().equals("PUT"));
    }

    @Test
    void inspectListsTheMatchedDataplanesLikeKumactl() {
        stub.answer("GET", "/meshes/demo/meshgateways/edge/dataplanes", 200,
                Golden.read("inspect-meshgateway.input.json"));
        CtlRunner ctl = connected();

        CtlRunner.Result text = ctl.run("inspect", "meshgateway", "edge", "--mesh", "demo");
        CtlRunner.Result json = ctl.run("inspect", "meshgateway", "edge", "-m", "demo", "-o", "json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        Golden.assertMatches(text.out(), "inspect-meshgateway.golden.txt");
        assertThat(json.out()).contains("\"total\"").contains("\"edge-gateway-2\"");
    }

    @Test
    void inspectOfAMissingGatewaySaysWhy() {
        stub.answer("GET", "/meshes/default/meshgateways/nope/dataplanes", 404,
                "{\"title\":\"Could not retrieve a resource\",\"details\":\"Not found\"}");

        CtlRunner.Result result = connected().run("inspect", "meshgateway", "nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: failed to inspect MeshGateway \"nope\" in mesh \"default\": ")
                .contains("Not found");
        assertThat(result.out()).isEmpty();
    }

    /** The MeshGateway template (an HTTPS listener terminating TLS, and a crossMesh HTTP one). */
    private static ObjectNode gateway() {
        return TEMPLATES.universal(ResourceTypes.MESH_GATEWAY, "default", "edge");
    }

    private CtlRunner connected() {
        CtlRunner ctl = new CtlRunner(home);
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "stub", "--address",
                stub.address());
        assertThat(added.exitCode()).as(added.toString()).isZero();
        return ctl;
    }
}
