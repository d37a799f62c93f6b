package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User mistakes and unreachable control planes end as one "Error:" line set and exit code 1, never a stack trace. */
class ErrorReportingTest {
    @TempDir
    Path home;

    @Test
    void reportsAConnectionRefusedWithAHint() {
        CtlRunner ctl = new CtlRunner(home);
        String address;
        try (IndexStub stub = new IndexStub()) {
            address = stub.address();
            ctl.run("config", "control-planes", "add", "--name", "gone", "--address", address);
        }

        CtlRunner.Result result = ctl.run("get", "meshes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error: could not reach the control plane at " + address
                + ": connection refused\nHint: is the control plane running? To use another one, run:"
                + " ursactl config control-planes add --name NAME --address URL\n");
    }

    @Test
    void suggestsTheClosestTypeForATypo() {
        CtlRunner.Result get = new CtlRunner(home).run("get", "meshs");

        assertThat(get.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(get.err()).startsWith("Error: unknown TYPE: meshs (did you mean \"mesh\"?). Allowed values: ");
    }

    @Test
    void listsAllowedValuesForAnUnknownType() {
        CtlRunner.Result get = new CtlRunner(home).run("get", "gateways");
        CtlRunner.Result delete = new CtlRunner(home).run("delete", "gateway", "x");

        assertThat(get.exitCode()).as("a usage mistake").isEqualTo(ErrorHandlers.USAGE);
        assertThat(get.err()).startsWith("Error: unknown TYPE: gateways. Allowed values: access-audit, access-audits, "
                + "access-role, access-role-binding, access-role-bindings, access-roles, circuit-breaker, "
                + "circuit-breakers, dataplane, dataplanes, external-service,");
        assertThat(delete.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(delete.err()).isEqualTo("Error: unknown TYPE: gateway. Allowed values: access-audit, access-role, "
                + "access-role-binding, circuit-breaker, dataplane, external-service, fault-injection, global-secret, "
                + "healthcheck, mesh, meshgateway, meshgatewayroute, proxytemplate, rate-limit, retry, secret, timeout, "
                + "traffic-log, traffic-permission, traffic-route, traffic-trace, virtual-outbound, zoneegress\n");
    }

    @Test
    void explainsSingularAndPluralMisuse() {
        CtlRunner.Result noName = new CtlRunner(home).run("get", "mesh");
        CtlRunner.Result extraName = new CtlRunner(home).run("get", "meshes", "default");

        assertThat(noName.err()).isEqualTo("Error: \"get mesh\" needs a NAME, e.g. ursactl get mesh NAME "
                + "(to list them: ursactl get meshes)\n");
        assertThat(extraName.err()).isEqualTo("Error: \"get meshes\" lists resources and takes no NAME "
                + "(to show one: ursactl get mesh default)\n");
    }

    @Test
    void reportsBadFlagsWithoutAStackTrace() {
        CtlRunner.Result result = new CtlRunner(home).run("get", "meshes", "--api-timeout", "soon");

        assertThat(result.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(result.err()).startsWith("Error: Invalid value for option '--api-timeout': invalid duration: \"soon\"")
                .doesNotContain("\tat ");
    }

    @Test
    void showsHelpForAGroupCommandAlone() {
        CtlRunner.Result result = new CtlRunner(home).run("config");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: ursactl config").contains("control-planes").contains("view");
    }
}
