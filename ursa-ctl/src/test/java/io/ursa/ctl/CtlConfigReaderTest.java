package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration file is written by Jackson and read field by field; both must agree on every field. */
class CtlConfigReaderTest {
    @Test
    void readsBackEveryFieldTheWriterWrites() throws Exception {
        CtlConfig.ApiServer server = new CtlConfig.ApiServer("https://cp.example:5682",
                List.of(new CtlConfig.Header("X-Team", "payments"), new CtlConfig.Header("X-Num", "5")),
                "/etc/ursa/ca.pem", "/etc/ursa/client.pem", "/etc/ursa/client.key", "tokens",
                Map.of("token", "eyJ.a.b"), true);
        CtlConfig config = new CtlConfig(
                List.of(new CtlConfig.Context("prod", "prod"), new CtlConfig.Context("local", "local")),
                List.of(new CtlConfig.ControlPlane("prod", new CtlConfig.Coordinates(server)),
                        CtlConfig.ControlPlane.of("local", "http://localhost:5681", Map.of())),
                "prod");

        assertThat(CtlConfigReader.read(ConfigFile.toYaml(config))).isEqualTo(config);
    }

    @Test
    void keepsTextThatLooksLikeAnotherTypeAsText() throws Exception {
        CtlConfig read = CtlConfigReader.read("""
                controlPlanes:
                - name: 2024-01-01
                  coordinates:
                    apiServer:
                      url: http://10.0.0.1:5681
                      headers: [{key: X-On, value: yes}, {key: X-Num, value: 5}]
                currentContext: 5
                """);

        CtlConfig.ControlPlane cp = read.controlPlanes().get(0);
        assertThat(cp.name()).isEqualTo("2024-01-01");
        assertThat(cp.headers()).containsEntry("X-On", "yes").containsEntry("X-Num", "5");
        assertThat(read.currentContext()).isEqualTo("5");
    }

    @Test
    void ignoresUnknownKeysAndTakesDefaultsForMissingOrNullOnes() throws Exception {
        CtlConfig read = CtlConfigReader.read("""
                kumactlVersion: 2.0.8
                contexts:
                - name: a
                  controlPlane: a
                  defaults: {mesh: demo}
                controlPlanes:
                - name: a
                  coordinates: {apiServer: {url: 'http://a:5681', skipVerify: null, headers: ~}}
                currentContext:
                """);

        assertThat(read.currentContext()).isEmpty();
        assertThat(read.controlPlanes().get(0).apiServer().skipVerify()).isFalse();
        assertThat(read.controlPlanes().get(0).headers()).isEmpty();
        assertThat(CtlConfigReader.read("")).isEqualTo(CtlConfig.defaults());
    }

    @Test
    void aValueOfTheWrongKindNamesItsPath() {
        assertThatThrownBy(() -> CtlConfigReader.read("controlPlanes:\n- name: a\n  coordinates: text\n"))
                .isInstanceOf(CtlConfigReader.Mistake.class)
                .hasMessage("controlPlanes[0].coordinates: expected a mapping, got text");
        assertThatThrownBy(() -> CtlConfigReader.read("controlPlanes:\n- coordinates: {apiServer: {skipVerify: x}}\n"))
                .hasMessage("controlPlanes[0].coordinates.apiServer.skipVerify: expected true or false, got \"x\"");
        assertThatThrownBy(() -> CtlConfigReader.read("contexts: {name: a}\n"))
                .hasMessage("contexts: expected a sequence, got a mapping");
        assertThatThrownBy(() -> CtlConfigReader.read("currentContext: [a, b]\n"))
                .hasMessage("currentContext: expected text, got a sequence");
        assertThatThrownBy(() -> CtlConfigReader.read("a: [unclosed\n")).isInstanceOf(CtlConfigReader.Mistake.class);
    }
}
