package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** kuma-dp's variables stand in for their URSA_* equivalents, each named once, and never win over them. */
class KumaVariablesTest {
    @Test
    void aKumaDpVariableIsReadForItsUrsaEquivalentAndNamed() {
        List<String> notices = new ArrayList<>();

        Map<String, String> variables = KumaVariables.withAliases(Map.of(
                "KUMA_CONTROL_PLANE_URL", "https://cp:5678",
                "KUMA_DATAPLANE_MESH", "payments", "URSA_DATAPLANE_MESH", "default",
                "KUMA_SOMETHING_ELSE", "x"), notices);

        assertThat(variables).containsEntry("URSA_CONTROL_PLANE_URL", "https://cp:5678")
                .containsEntry("URSA_DATAPLANE_MESH", "default").doesNotContainKey("URSA_SOMETHING_ELSE");
        assertThat(notices).containsExactly("ursa-dp: using KUMA_CONTROL_PLANE_URL for URSA_CONTROL_PLANE_URL"
                + " (a kuma-dp variable; set URSA_CONTROL_PLANE_URL to silence this notice)");
    }

    @Test
    void everyVariableTheAgentReadsIsAnUrsaOne() {
        assertThat(KumaVariables.known()).allMatch(name -> name.startsWith("URSA_"))
                .contains("URSA_CONTROL_PLANE_URL", "URSA_DATAPLANE_NAME", "URSA_CONTROL_PLANE_CA_CERT");
    }

    @Test
    void anUnknownUrsaVariableIsNamedWithTheClosestOneTheAgentReads() {
        List<String> notices = new ArrayList<>();

        Map<String, String> variables = KumaVariables.resolve(Map.of(
                "URSA_DATAPLANE_MSH", "payments", "URSA_STORE_TYPE", "memory", "URSA_DATAPLANE_NAME", "web-1",
                "KUMA_DATAPLANE_MESH", "demo", "HOME", "/root", "URSA_CDS_ARCHIVE", "off"), notices);

        // URSA_CDS_ARCHIVE is bin/launch.sh's, not the agent's: known, so not reported
        assertThat(notices).containsExactly(
                "ursa-dp: ignoring unknown environment variable URSA_DATAPLANE_MSH (did you mean"
                        + " URSA_DATAPLANE_MESH?)",
                "ursa-dp: ignoring unknown environment variable URSA_STORE_TYPE",
                "ursa-dp: using KUMA_DATAPLANE_MESH for URSA_DATAPLANE_MESH"
                        + " (a kuma-dp variable; set URSA_DATAPLANE_MESH to silence this notice)");
        assertThat(variables).containsEntry("URSA_DATAPLANE_MESH", "demo").containsEntry("URSA_DATAPLANE_NAME",
                "web-1");
    }

    @Test
    void everyUrsaVariableNamedInTheAgentsSourcesIsKnown() throws IOException {
        Pattern variable = Pattern.compile("\"(URSA_[A-Z0-9_]+)\"");
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                variable.matcher(Files.readString(file)).results().forEach(m -> named.add(m.group(1)));
            }
        }

        assertThat(named).isNotEmpty();
        named.remove(KumaVariables.LAUNCHER_VARIABLE); // bin/launch.sh's; not reported either (test above)
        assertThat(KumaVariables.known()).as("not warned about as unknown").containsAll(named);
    }
}
