package io.ursa.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTemplateTest {
    private static final Map<String, String> DATA = Map.of("service", "web", "port", "8080");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{{.service}}.mesh|web.mesh",
        "{{ .service }}:{{.port}}|web:8080",
        "a {{- .service -}} b|awebb",
        "a {{- /* note */ -}} b|ab",
        "{{.missing}}|<no value>",
        "{{.}}|map[port:8080 service:web]",
        "plain|plain",
    })
    void rendersParameters(String template, String expected) {
        assertThat(GoTemplate.parse(template).execute(DATA)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo.{{mesh|template: :1: function \"mesh\" not defined",
        "{{ mesh }}|template: :1: function \"mesh\" not defined",
        "{{.port|template: :1: unclosed action",
        "{{}}|template: :1: missing value for command",
    })
    void reportsParseErrorsLikeGo(String template, String message) {
        assertThatThrownBy(() -> GoTemplate.parse(template)).hasMessage(message);
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> GoTemplate.parse("a\nb {{")).hasMessage("template: :2: unclosed action");
    }

    @Test
    void refusesActionsItDoesNotImplement() {
        assertThatThrownBy(() -> GoTemplate.parse("{{ printf \"%s\" .service }}"))
                .hasMessageContaining("unsupported action");
        assertThatThrownBy(() -> GoTemplate.parse("{{ .a.b }}")).hasMessageContaining("unsupported action");
    }

    @Test
    void virtualOutboundEvaluatesHostAndPortFromTags() {
        VirtualOutboundSpec.Conf conf = new VirtualOutboundSpec.Conf("{{.svc}}.{{.version}}.mesh", "{{.port}}",
                java.util.List.of(new VirtualOutboundSpec.TemplateParameter("svc", "kuma.io/service"),
                        new VirtualOutboundSpec.TemplateParameter("version", null),
                        new VirtualOutboundSpec.TemplateParameter("port", "kuma.io/port")));
        Map<String, String> tags = Map.of("kuma.io/service", "backend", "version", "v2", "kuma.io/port", "9090",
                "other", "x");
        assertThat(conf.evalHost(tags)).isEqualTo("backend.v2.mesh");
        assertThat(conf.evalPort(tags)).isEqualTo(9090);
        assertThat(conf.filterTags(tags)).containsOnlyKeys("kuma.io/service", "version", "kuma.io/port");
    }
}
