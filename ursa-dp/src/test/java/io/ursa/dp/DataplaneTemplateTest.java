package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataplaneTemplateTest {
    @Test
    void replacesVariablesWithOrWithoutSpaces() {
        assertThat(DataplaneTemplate.render("name: {{ name }}\naddress: {{address}}\n",
                Map.of("name", "dp-1", "address", "10.0.0.1"), "t"))
                .isEqualTo("name: dp-1\naddress: 10.0.0.1\n");
    }

    @Test
    void rendersAnUnknownVariableAsNothing() {
        assertThat(DataplaneTemplate.render("name: {{ name }}", Map.of(), "t")).isEqualTo("name: ");
    }

    @Test
    void dottedKeysBecomeNestedValues() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("inbound.port", "8080");
        vars.put("inbound.tags.version", "v1");

        assertThat(DataplaneTemplate.render("{{ inbound.port }} {{ inbound.tags.version }}", vars, "t"))
                .isEqualTo("8080 v1");
    }

    @Test
    void doesNotHtmlEscapeValues() {
        assertThat(DataplaneTemplate.render("{{ v }}", Map.of("v", "a&b<\"c\">"), "t")).isEqualTo("a&b<\"c\">");
    }

    @Test
    void refusesPartialsAndBrokenTemplates() {
        assertThatThrownBy(() -> DataplaneTemplate.render("{{> /etc/passwd}}", Map.of(), "dp.yaml"))
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("could not render the dataplane template dp.yaml: ")
                .hasMessageContaining("partials are not supported");
        assertThatThrownBy(() -> DataplaneTemplate.render("{{# open }}", Map.of(), "dp.yaml"))
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("could not render the dataplane template dp.yaml: ");
    }
}
