package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.codec.Json;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.ApiServer;
import io.ursa.apiserver.ApiServerConfig;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.tokens.DataplaneTokenValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ursactl generate dataplane-token} in-process against the real REST API server over a memory store. */
class GenerateDataplaneTokenTest {
    @TempDir
    Path home;

    private ResourceManager manager;
    private ApiServer server;
    private CtlRunner ctl;

    @BeforeEach
    void startControlPlane() {
        manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        server = new ApiServer(manager, ResourceTypes.standard(),
                ApiServerConfig.defaults().withAddress("127.0.0.1", 0), () -> Json.json().createObjectNode(),
                "0.0.0-test", "test-instance");
        server.start();
        ctl = new CtlRunner(home, Clock.systemUTC());
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "test", "--address",
                "http://127.0.0.1:" + server.port());
        assertThat(added.exitCode()).as(added.toString()).isZero();
        CtlRunner.Result mesh = ctl.runWithStdin("type: Mesh\nname: demo\n", "apply", "-f", "-");
        assertThat(mesh.exitCode()).as(mesh.toString()).isZero();
    }

    @AfterEach
    void stopControlPlane() {
        server.close();
    }

    private static JWTClaimsSet claimsOf(CtlRunner.Result result) throws Exception {
        return SignedJWT.parse(result.out()).getJWTClaimsSet();
    }

    @Test
    void printsATokenBoundToTheFlagsThatTheProxyCanConnectWith() throws Exception {
        CtlRunner.Result result = ctl.run("generate", "dataplane-token", "--mesh", "demo", "--name", "web-1",
                "--tag", "kuma.io/service=web", "--tag", "kuma.io/service=web-api", "--tag", "version=v1,v2",
                "--type", "dataplane", "--valid-for", "24h");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+").doesNotEndWith("\n");
        JWTClaimsSet claims = claimsOf(result);
        assertThat(claims.getStringClaim("Name")).isEqualTo("web-1");
        assertThat(claims.getStringClaim("Mesh")).isEqualTo("demo");
        assertThat(claims.getStringClaim("Type")).isEqualTo("dataplane");
        assertThat(claims.getJSONObjectClaim("Tags")).isEqualTo(Map.of(
                "kuma.io/service", List.of("web", "web-api"), "version", List.of("v1", "v2")));
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(24));

        DataplaneTokenValidator validator = new DataplaneTokenValidator(manager, Clock.systemUTC());
        assertThatCode(() -> validator.validate(result.out(), "demo", "web-1",
                Map.of("kuma.io/service", Set.of("web-api"), "version", Set.of("v2")))).doesNotThrowAnyException();
    }

    @Test
    void defaultsToMeshDefaultTenYearsAndNoBinding() throws Exception {
        ctl.runWithStdin("type: Mesh\nname: default\n", "apply", "-f", "-");

        CtlRunner.Result result = ctl.run("generate", "dataplane-token", "--proxy-type", "ingress");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JWTClaimsSet claims = claimsOf(result);
        assertThat(claims.getStringClaim("Mesh")).isEqualTo("default");
        assertThat(claims.getStringClaim("Name")).isEmpty();
        assertThat(claims.getStringClaim("Type")).isEqualTo("ingress");
        assertThat(claims.getJSONObjectClaim("Tags")).isEmpty();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(87600));
    }

    @Test
    void reportsTheServersRefusal() {
        CtlRunner.Result unknownMesh = ctl.run("generate", "dataplane-token", "--mesh", "nowhere");
        CtlRunner.Result badType = ctl.run("generate", "dataplane-token", "--mesh", "demo", "--type", "sidecar");

        assertThat(unknownMesh.exitCode()).isEqualTo(1);
        assertThat(unknownMesh.out()).isEmpty();
        assertThat(unknownMesh.err()).isEqualTo("""
                Error: failed to generate a dataplane token: Could not issue a token (Mesh is not found)
                * mesh: mesh of name nowhere is not found
                """);
        assertThat(badType.err()).isEqualTo("""
                Error: failed to generate a dataplane token: Invalid request (Resource is not valid)
                * type: sidecar is not a valid proxy type
                """);
    }

    @Test
    void refusesMalformedFlagsBeforeCallingTheServer() {
        server.close();

        CtlRunner.Result badTag = ctl.run("generate", "dataplane-token", "--mesh", "demo", "--tag", "web");
        CtlRunner.Result emptyValue = ctl.run("generate", "dataplane-token", "--mesh", "demo", "--tag", "a=x,,y");
        CtlRunner.Result badDuration = ctl.run("generate", "dataplane-token", "--valid-for", "ten days");

        assertThat(badTag.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(badTag.err()).isEqualTo("Error: invalid --tag \"web\" (expected: key=value or key=value1,value2,"
                + " e.g. kuma.io/service=web)\n");
        assertThat(emptyValue.err()).isEqualTo("Error: invalid --tag \"a=x,,y\" (expected: a non-empty value for"
                + " every comma-separated entry)\n");
        assertThat(badDuration.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(badDuration.err()).contains("invalid duration: \"ten days\"");
    }
}
