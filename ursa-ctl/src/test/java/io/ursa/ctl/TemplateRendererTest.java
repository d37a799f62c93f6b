package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {
    @Test
    void replacesVariables() {
        TemplateRenderer renderer = new TemplateRenderer(Map.of("name", "demo"));

        assertThat(renderer.render("type: Mesh\nname: {{ name }}\n", "doc")).isEqualTo("type: Mesh\nname: demo\n");
    }

    @Test
    void nestsDottedKeys() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("net.address", "10.0.0.1");
        vars.put("net.port", "8080");
        vars.put("var.with.dots.in.the.name", "x");

        assertThat(TemplateRenderer.nest(vars)).isEqualTo(Map.of(
                "net", Map.of("address", "10.0.0.1", "port", "8080"),
                "var", Map.of("with", Map.of("dots", Map.of("in", Map.of("the", Map.of("name", "x")))))));
        assertThat(new TemplateRenderer(vars).render("{{net.address}}:{{ net.port }} {{ var.with.dots.in.the.name }}",
                "doc")).isEqualTo("10.0.0.1:8080 x");
    }

    @Test
    void insertsValuesWithoutHtmlEscaping() {
        TemplateRenderer renderer = new TemplateRenderer(Map.of("url", "http://a/?x=1&y=<2>"));

        assertThat(renderer.render("url: '{{ url }}'", "doc")).isEqualTo("url: 'http://a/?x=1&y=<2>'");
    }

    @Test
    void rendersMissingVariablesAsEmpty() {
        assertThat(new TemplateRenderer(Map.of("a", "1")).render("{{ a }}/{{ b }}", "doc")).isEqualTo("1/");
    }

    @Test
    void leavesTextUntouchedWithoutVariables() {
        assertThat(new TemplateRenderer(Map.of()).render("name: {{ name }}", "doc")).isEqualTo("name: {{ name }}");
    }

    @Test
    void reportsAMalformedTemplate() {
        assertThatThrownBy(() -> new TemplateRenderer(Map.of("a", "1")).render("name: {{ a", "document 1"))
                .isInstanceOf(CtlException.class)
                .hasMessageStartingWith("could not render the template");
    }

    @Test
    void refusesPartialsSoNoLocalFileIsIncluded() {
        assertThatThrownBy(() -> new TemplateRenderer(Map.of("a", "1")).render("{{> /etc/passwd}}", "document 1"))
                .isInstanceOf(CtlException.class)
                .hasMessageContaining("partials are not supported");
    }
}
