package io.ursa.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
    @Test
    void replacesVariables() {
        assertThat(Templates.render("type: Mesh\nname: {{ name }}\n", Map.of("name", "demo"), "doc"))
                .isEqualTo("type: Mesh\nname: demo\n");
    }

    @Test
    void nestsDottedKeys() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("net.address", "10.0.0.1");
        vars.put("net.port", "8080");
        vars.put("var.with.dots.in.the.name", "x");

        assertThat(Templates.nest(vars)).isEqualTo(Map.of(
                "net", Map.of("address", "10.0.0.1", "port", "8080"),
                "var", Map.of("with", Map.of("dots", Map.of("in", Map.of("the", Map.of("name", "x")))))));
        assertThat(Templates.render("{{net.address}}:{{ net.port }} {{ var.with.dots.in.the.name }}", vars, "doc"))
                .isEqualTo("10.0.0.1:8080 x");
    }

    @Test
    void insertsValuesWithoutHtmlEscaping() {
        assertThat(Templates.render("url: '{{ url }}'", Map.of("url", "http://a/?x=1&y=<\"2\">"), "doc"))
                .isEqualTo("url: 'http://a/?x=1&y=<\"2\">'");
    }

    @Test
    void rendersMissingVariablesAsEmpty() {
        assertThat(Templates.render("{{ a }}/{{ b }}", Map.of("a", "1"), "doc")).isEqualTo("1/");
    }

    @Test
    void reportsAMalformedTemplateWithItsSource() {
        assertThatThrownBy(() -> Templates.render("name: {{ a", Map.of("a", "1"), "document 1"))
                .isInstanceOf(Templates.TemplateException.class)
                .hasMessageStartingWith("could not render the template document 1");
        assertThatThrownBy(() -> Templates.render("{{# open }}", Map.of(), "dp.yaml"))
                .isInstanceOf(Templates.TemplateException.class);
    }

    @Test
    void refusesPartialsSoNoLocalFileIsIncluded() {
        assertThatThrownBy(() -> Templates.render("{{> /etc/passwd}}", Map.of("a", "1"), "document 1"))
                .isInstanceOf(Templates.TemplateException.class)
                .hasMessageContaining("partials are not supported");
    }
}
