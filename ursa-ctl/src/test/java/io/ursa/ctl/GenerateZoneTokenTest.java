package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ursactl generate zone-token} against a stub of {@code POST /tokens/zone}: kumactl's request, flags and
 * messages.
 */
class GenerateZoneTokenTest {
    private static final String ADMIN_TOKEN = "admin.token.jwt";
    private static final String ISSUED = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJab25lIjoiIn0.c2ln";

    @TempDir
    Path home;

    private ApiStub stub;
    private CtlRunner ctl;

    @BeforeEach
    void addControlPlane() {
        stub = ApiStub.plain();
        ctl = new CtlRunner(home);
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "cp", "--address",
                stub.address(), "--auth-type", "tokens", "--auth-conf", "token=" + ADMIN_TOKEN);
        assertThat(added.exitCode()).as(added.toString()).isZero();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void postsZoneScopeAndValidityAndPrintsTheTokenWithoutANewline() {
        stub.answer("POST", "/tokens/zone", 200, "text/plain", ISSUED);

        CtlRunner.Result result = ctl.run("generate", "zone-token", "--zone=east", "--scope=egress",
                "--valid-for=720h");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(ISSUED);
        assertThat(result.err()).isEmpty();
        assertThat(stub.requests()).last().satisfies(r -> {
            assertThat(r.method() + " " + r.path()).isEqualTo("POST /tokens/zone");
            assertThat(r.body()).isEqualTo("{\"zone\":\"east\",\"scope\":[\"egress\"],\"validFor\":\"720h\"}");
            assertThat(r.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
        });
    }

    @Test
    void withoutScopeOrZoneAsksForEveryScopeAndNoZoneAsKumactl() {
        stub.answer("POST", "/tokens/zone", 200, "text/plain", ISSUED);

        CtlRunner.Result result = ctl.run("generate", "zone-token", "--valid-for", "24h");
        CtlRunner.Result both = ctl.run("generate", "zone-token", "--valid-for", "24h", "--scope", "ingress",
                "--scope", "egress");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(both.exitCode()).as(both.toString()).isZero();
        assertThat(stub.requests()).extracting(ApiStub.Request::body).endsWith(
                "{\"zone\":\"\",\"scope\":[\"ingress\",\"egress\"],\"validFor\":\"24h\"}",
                "{\"zone\":\"\",\"scope\":[\"ingress\",\"egress\"],\"validFor\":\"24h\"}");
    }

    @Test
    void refusesUnknownScopesAndAMissingValidityBeforeSendingAnything() {
        int before = stub.requests().size();

        CtlRunner.Result badScope = ctl.run("generate", "zone-token", "--valid-for", "24h", "--scope", "egress,mesh",
                "--scope", "x");
        CtlRunner.Result none = ctl.run("generate", "zone-token", "--zone", "east");

        assertThat(badScope.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(badScope.err()).isEqualTo(
                "Error: invalid --scope values: [mesh x] (supported scopes: [ingress egress])\n");
        assertThat(none.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(none.err()).startsWith("Error: Missing required option: '--valid-for=DURATION'\n");
        assertThat(stub.requests()).hasSize(before);
    }

    @Test
    void reportsTheServersRefusals() {
        stub.answer("POST", "/tokens/zone", 403, "{\"title\":\"Access Denied\",\"details\":\"user"
                + " \\\"bob/mesh-system:authenticated\\\" cannot GENERATE_ZONE_TOKEN ZoneToken \\\"\\\"\"}");

        CtlRunner.Result denied = ctl.run("generate", "zone-token", "--scope", "egress", "--valid-for", "1h");

        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.out()).isEmpty();
        assertThat(denied.err()).isEqualTo("Error: failed to generate a zone token: Access Denied (user"
                + " \"bob/mesh-system:authenticated\" cannot GENERATE_ZONE_TOKEN ZoneToken \"\")\n");
    }
}
