package io.ursa.api.zoneegress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.policy.RoundTrips;
import io.ursa.api.policy.ValidationVectors;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Scope;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ZoneEgress: Kuma's validation vectors, its JSON as Kuma writes it, and its Kubernetes form (namespaced). */
class ZoneEgressTest {
    static Stream<ValidationVectors.Case> cases() {
        return ValidationVectors.casesIn("testdata/zoneegress/validation");
    }

    static Stream<Named<JsonNode>> documents() {
        return RoundTrips.documentsIn("testdata/zoneegress/roundtrip");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsViolations(ValidationVectors.Case vector) {
        vector.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void encodesBackToTheSameJson(JsonNode document) {
        RoundTrips.assertRoundTrips(document);
    }

    @Test
    void isAGlobalTypeAtKumasPaths() {
        assertThat(ResourceTypes.ZONE_EGRESS.scope()).isEqualTo(Scope.GLOBAL);
        assertThat(ResourceTypes.standard().byCliName("zoneegresses")).contains(ResourceTypes.ZONE_EGRESS);
        assertThat(ResourceTypes.standard().byCliName("zoneegress")).contains(ResourceTypes.ZONE_EGRESS);
        assertThat(ResourceTypes.ZONE_EGRESS.wsPath()).isEqualTo("zoneegresses");
    }

    @Test
    void kubernetesFormIsNamespacedWithTheSpecUnderSpecAndNoMesh() {
        Resource<?> fromKubernetes = ValidationVectors.CODEC.decode(yaml("""
                apiVersion: kuma.io/v1alpha1
                kind: ZoneEgress
                mesh: default
                metadata:
                  name: zoneegress
                  namespace: kuma-system
                spec:
                  zone: east
                  networking:
                    address: 10.0.0.5
                    port: 10002
                """));

        assertThat(fromKubernetes.name()).as("Kuma's <name>.<namespace>").isEqualTo("zoneegress.kuma-system");
        assertThat(fromKubernetes.mesh()).as("a global type has no mesh").isEmpty();
        ZoneEgressSpec spec = fromKubernetes.as(ResourceTypes.ZONE_EGRESS).spec();
        assertThat(spec.zone()).isEqualTo("east");
        assertThat(spec.networking().address()).isEqualTo("10.0.0.5");
        assertThat(spec.networking().port()).isEqualTo(10002);

        ObjectNode back = ValidationVectors.CODEC.toKubernetes(fromKubernetes);
        assertThat(back.path("kind").asText()).isEqualTo("ZoneEgress");
        assertThat(back.has("mesh")).isFalse();
        assertThat(back.path("metadata").path("name").asText()).isEqualTo("zoneegress");
        assertThat(back.path("metadata").path("namespace").asText()).isEqualTo("kuma-system");
        assertThat(back.path("spec").toString())
                .isEqualTo("{\"zone\":\"east\",\"networking\":{\"address\":\"10.0.0.5\",\"port\":10002}}");
        assertThat(ValidationVectors.CODEC.decode(back)).isEqualTo(fromKubernetes);
    }

    @Test
    void kubernetesFormWithoutNamespaceKeepsTheNameAndANameWithoutDotHasNoNamespace() {
        Resource<?> universal = ValidationVectors.CODEC.decode(yaml("""
                type: ZoneEgress
                name: egress-1
                networking:
                  address: 10.0.0.5
                  port: 10002
                """));

        ObjectNode kubernetes = ValidationVectors.CODEC.toKubernetes(universal);

        assertThat(kubernetes.path("metadata").has("namespace")).isFalse();
        assertThat(ValidationVectors.CODEC.decode(kubernetes)).isEqualTo(universal);
    }

    @Test
    void otherGlobalTypesIgnoreTheNamespaceAsBefore() {
        Resource<?> mesh = ValidationVectors.CODEC.decode(yaml("""
                apiVersion: kuma.io/v1alpha1
                kind: Mesh
                metadata:
                  name: demo
                  namespace: kuma-system
                """));

        assertThat(mesh.name()).isEqualTo("demo");
    }

    private static JsonNode yaml(String text) {
        return ValidationVectors.CODEC.parseYamlDocuments(text).get(0);
    }
}
