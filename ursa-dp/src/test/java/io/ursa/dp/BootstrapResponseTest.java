package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class BootstrapResponseTest {
    private static BootstrapResponse withYaml(String yaml) {
        return new BootstrapResponse(yaml, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void readsTheAdminPortInTheControlPlanesCamelCaseSpelling() {
        assertThat(withYaml("admin:\n  address:\n    socketAddress:\n      address: 127.0.0.1\n      portValue: 9902\n")
                .adminPort()).hasValue(9902);
    }

    @Test
    void readsTheAdminPortInSnakeCase() {
        assertThat(withYaml("admin:\n  address:\n    socket_address:\n      port_value: 9901\n").adminPort())
                .hasValue(9901);
    }

    @Test
    void hasNoAdminPortWhenTheBootstrapSetsNone() {
        assertThat(withYaml("node:\n  id: demo.backend-1\n").adminPort()).isEmpty();
    }
}
