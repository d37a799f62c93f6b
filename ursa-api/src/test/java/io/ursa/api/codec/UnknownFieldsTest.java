package io.ursa.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unknown fields: every one is reported with its path and the closest known name, in both forms, for every type
 * of the registry; keys inside free-form values never are; what is decoded does not change.
 */
class UnknownFieldsTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    static Stream<String> typeNames() {
        return ResourceTypes.standard().all().stream().map(ResourceType::name);
    }

    private static List<UnknownField> unknown(String yaml) {
        return CODEC.decodeReporting(CODEC.parseYamlDocuments(yaml).get(0)).unknownFields();
    }

    private static UnknownField field(String path, String suggestion) {
        return new UnknownField(path, Optional.ofNullable(suggestion));
    }

    @Test
    void namesTheMisspelledMeshFieldAndTheFieldMeant() {
        assertThat(unknown("""
                type: Mesh
                name: demo
                mtsl:
                  enabledBackend: ca-1
                """)).containsExactly(field("mtsl", "mtls"));
        assertThat(field("mtsl", "mtls").describe()).isEqualTo("unknown field \"mtsl\" (did you mean \"mtls\"?)");
    }

    @Test
    void reportsNestedFieldsWithTheirFullPath() {
        assertThat(unknown("""
                type: Mesh
                name: demo
                mtls:
                  enabledBakend: ca-1
                  backends:
                    - name: ca-1
                      type: builtin
                      cnf:
                        caCert:
                          RSAbits: 2048
                networking:
                  outbound:
                    passthru: false
                """)).containsExactly(
                field("mtls.enabledBakend", "enabledBackend"),
                field("mtls.backends[0].cnf", "conf"),
                field("networking.outbound.passthru", "passthrough"));
    }

    @Test
    void saysNothingAboutAFarOffName() {
        assertThat(unknown("""
                type: Mesh
                name: demo
                colour: blue
                """)).containsExactly(field("colour", null));
        assertThat(field("colour", null).describe()).isEqualTo("unknown field \"colour\"");
    }

    @Test
    void suggestsTheUniversalMetaFieldsForATopLevelTypo() {
        assertThat(unknown("""
                type: Mesh
                nmae: demo
                """)).containsExactly(field("nmae", "name"));
    }

    @Test
    void neverReportsKeysInsideFreeFormValues() {
        assertThat(unknown("""
                type: Mesh
                name: demo
                mtls:
                  backends:
                    - name: ca-1
                      type: vault
                      conf:
                        anything: {goes: here}
                metrics:
                  backends:
                    - name: prom
                      type: prometheus
                      conf:
                        port: 5670
                        tags:
                          mtsl: not-a-field
                """)).isEmpty();
        assertThat(unknown("""
                type: Dataplane
                mesh: default
                name: dp-1
                networking:
                  address: 192.168.0.1
                  inbound:
                    - port: 8080
                      tags:
                        kuma.io/service: backend
                        mtsl: not-a-field
                """)).isEmpty();
        assertThat(unknown("""
                type: Secret
                mesh: default
                name: s
                data: dmFsdWU=
                """)).isEmpty();
        assertThat(unknown("""
                type: ProxyTemplate
                mesh: default
                name: pt
                selectors:
                  - match:
                      kuma.io/service: '*'
                conf:
                  imports: [default-proxy]
                  resources:
                    - name: raw
                      version: v1
                      resource: |
                        '@type': type.googleapis.com/envoy.config.cluster.v3.Cluster
                        name: raw
                        connectTimeout: 5s
                """)).isEmpty();
    }

    @Test
    void walksValuesOfTypedMaps() {
        assertThat(unknown("""
                type: TrafficRoute
                mesh: default
                name: r
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf:
                  http:
                    - match:
                        headers:
                          x-version:
                            exct: v1
                      destination:
                        kuma.io/service: backend
                  destination:
                    kuma.io/service: backend
                """)).containsExactly(field("conf.http[0].match.headers[\"x-version\"].exct", "exact"));
    }

    @Test
    void reportsKubernetesMetaKeysAndSpecFieldsAsUniversalPaths() {
        assertThat(unknown("""
                apiVersion: kuma.io/v1alpha1
                kind: Mesh
                metadata:
                  name: demo
                  lables: {a: b}
                  annotations: {x: y}
                  resourceVersion: "12"
                spce: {}
                spec:
                  mtsl: {}
                """)).containsExactly(
                field("spce", "spec"),
                field("metadata.lables", "labels"),
                field("mtsl", "mtls"));
    }

    @Test
    void decodesTheSameResourceAsWithoutReporting() {
        JsonNode doc = CODEC.parseYamlDocuments("""
                type: Mesh
                name: demo
                mtsl: {}
                mtls:
                  enabledBackend: ca-1
                  backends: [{name: ca-1, type: builtin, cnf: {}}]
                """).get(0);
        assertThat(CODEC.decodeReporting(doc).resource()).isEqualTo(CODEC.decode(doc));
    }

    /** Every type, both forms: a misspelled top-level field and an unknown field one object down. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("typeNames")
    void everyTypeReportsAMisspelledTopLevelFieldAndANestedOne(String typeName) {
        ResourceType<?> type = ResourceTypes.standard().byName(typeName).orElseThrow();
        RecordComponent first = type.specClass().getRecordComponents()[0];
        String typo = first.getName() + "x";
        ObjectNode spec = Json.json().createObjectNode();
        spec.put(typo, 1);
        List<UnknownField> expected = new ArrayList<>(List.of(field(typo, first.getName())));
        Optional<RecordComponent> nested = Arrays.stream(type.specClass().getRecordComponents())
                .filter(c -> elementRecord(c).isPresent()).findFirst();
        nested.ifPresent(c -> {
            ObjectNode inner = Json.json().createObjectNode().put("zzUnknown", 1);
            if (List.class.isAssignableFrom(c.getType())) {
                spec.putArray(c.getName()).add(inner);
                expected.add(field(c.getName() + "[0].zzUnknown", null));
            } else {
                spec.set(c.getName(), inner);
                expected.add(field(c.getName() + ".zzUnknown", null));
            }
        });
        assertThat(nested.isPresent() || type.specClass().getRecordComponents().length == 1)
                .as("%s has a nested object to misspell in, or only one field", type.name()).isTrue();

        ObjectNode universal = Json.json().createObjectNode().put("type", type.name()).put("name", "x");
        if (type.isMeshScoped()) {
            universal.put("mesh", "default");
        }
        universal.setAll(spec.deepCopy());
        assertThat(CODEC.decodeReporting(universal).unknownFields()).as("Universal").containsExactlyElementsOf(expected);

        ObjectNode kubernetes = Json.json().createObjectNode()
                .put("apiVersion", ResourceCodec.K8S_API_VERSION).put("kind", type.name());
        kubernetes.putObject("metadata").put("name", "x").put("namespaec", "y");
        kubernetes.set("spec", spec.deepCopy());
        List<UnknownField> expectedK8s = new ArrayList<>(List.of(field("metadata.namespaec", "namespace")));
        expectedK8s.addAll(expected);
        assertThat(CODEC.decodeReporting(kubernetes).unknownFields()).as("Kubernetes")
                .containsExactlyElementsOf(expectedK8s);
    }

    /** The record a component holds, directly or as the elements of a list. */
    private static Optional<Class<?>> elementRecord(RecordComponent component) {
        if (component.getType().isRecord()) {
            return Optional.of(component.getType());
        }
        Type generic = component.getGenericType();
        if (List.class.isAssignableFrom(component.getType()) && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
            return Optional.of(element);
        }
        return Optional.empty();
    }

    @Test
    void quotesKeysThatAreNotPlainNames() {
        assertThat(unknown("""
                type: Mesh
                name: demo
                "": 1
                "a.b": 2
                networking: {"out bound": {}}
                """)).containsExactly(
                field("[\"\"]", null),
                field("[\"a.b\"]", null),
                field("networking[\"out bound\"]", "outbound"));
    }

    @Test
    void wordsAtMostTwentyWarningsAndCountsTheRest() {
        List<UnknownField> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(field("f" + i, null));
        }
        List<String> warnings = UnknownField.warnings("Mesh", "demo", many);

        assertThat(warnings).hasSize(UnknownField.MAX_WARNINGS + 1);
        assertThat(warnings.get(0)).isEqualTo("mesh demo: unknown field \"f0\"");
        assertThat(warnings.get(UnknownField.MAX_WARNINGS)).isEqualTo("mesh demo: 5 more unknown fields");
        assertThat(warnings).allMatch(w -> UnknownField.isWarningAbout(w, "Mesh", "demo"));
        assertThat(UnknownField.isWarningAbout("mesh demo: 1 more unknown field", "Mesh", "demo")).isTrue();
        assertThat(UnknownField.isWarningAbout(warnings.get(0), "Mesh", "other")).isFalse();
        assertThat(UnknownField.isWarningAbout("Mesh \"demo\" sets routing.zoneEgress", "Mesh", "demo")).isFalse();
        assertThat(field("x".repeat(500), null).describe())
                .isEqualTo("unknown field \"" + "x".repeat(UnknownField.MAX_PATH_CHARS) + "...\"");
    }

    @Test
    void suggestsOnlyCloseNames() {
        assertThat(UnknownFields.closest("mtsl", List.of("metrics", "mtls"))).contains("mtls");
        assertThat(UnknownFields.closest("caCrt", List.of("caCert"))).contains("caCert");
        assertThat(UnknownFields.closest("ab", List.of("cd"))).isEmpty();
        assertThat(UnknownFields.closest("MTLS", List.of("mtls"))).contains("mtls");
        assertThat(io.ursa.api.validation.Suggestions.distance("mtsl", "mtls")).isEqualTo(1);
    }
}
