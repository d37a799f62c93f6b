package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ursactl generate user-token} against a stub of {@code POST /tokens/user}: the request, the output and the
 * refusals.
 */
class GenerateUserTokenTest {
    private static final String ADMIN_TOKEN = "admin.token.jwt";
    private static final String ISSUED = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJOYW1lIjoiYWxpY2UifQ.c2ln";

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
    void postsNameGroupsAndValidityAndPrintsTheTokenWithoutANewline() {
        stub.answer("POST", "/tokens/user", 200, "text/plain", ISSUED);

        CtlRunner.Result result = ctl.run("generate", "user-token", "--name", "alice", "--group", "team-a",
                "--group", "team-b,team-c", "--valid-for", "24h");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(ISSUED);
        assertThat(result.err()).isEmpty();
        assertThat(stub.requests()).last().satisfies(r -> {
            assertThat(r.method() + " " + r.path()).isEqualTo("POST /tokens/user");
            assertThat(r.body()).isEqualTo(
                    "{\"name\":\"alice\",\"groups\":[\"team-a\",\"team-b\",\"team-c\"],\"validFor\":\"24h\"}");
            assertThat(r.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
        });
    }

    @Test
    void sendsNoGroupsAsAnEmptyListAndLongValiditiesInHours() {
        stub.answer("POST", "/tokens/user", 200, "text/plain", ISSUED);

        CtlRunner.Result result = ctl.run("generate", "user-token", "--name", "ci", "--valid-for", "8760h30m");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(stub.requests()).last().extracting(ApiStub.Request::body)
                .isEqualTo("{\"name\":\"ci\",\"groups\":[],\"validFor\":\"8760h30m\"}");
    }

    @Test
    void reportsTheServersRefusals() {
        stub.answer("POST", "/tokens/user", 400, """
                {"title":"Invalid request","details":"Resource is not valid",
                 "causes":[{"field":"validFor","message":"must be at most 87600h"}]}""");
        CtlRunner.Result invalid = ctl.run("generate", "user-token", "--name", "alice", "--valid-for", "100000h");
        stub.answer("POST", "/tokens/user", 403, "{\"title\":\"Access Denied\",\"details\":\"user"
                + " \\\"bob/mesh-system:authenticated\\\" cannot GENERATE_USER_TOKEN\"}");
        CtlRunner.Result denied = ctl.run("generate", "user-token", "--name", "alice", "--valid-for", "1h");

        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err()).isEqualTo("""
                Error: failed to generate a user token: Invalid request (Resource is not valid)
                * validFor: must be at most 87600h
                """);
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.err()).isEqualTo("Error: failed to generate a user token: Access Denied (user"
                + " \"bob/mesh-system:authenticated\" cannot GENERATE_USER_TOKEN)\n");
    }

    @Test
    void requiresNameAndValidityAsKumactlDoes() {
        int before = stub.requests().size();

        CtlRunner.Result none = ctl.run("generate", "user-token");
        CtlRunner.Result zero = ctl.run("generate", "user-token", "--name", "alice", "--valid-for", "0s");

        assertThat(none.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(none.err()).startsWith("Error: Missing required options: '--name=NAME', '--valid-for=DURATION'\n");
        assertThat(zero.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(zero.err()).isEqualTo("Error: invalid --valid-for 0s (expected: a duration above 0, e.g. 24h)\n");
        assertThat(stub.requests()).hasSize(before);
    }
}
