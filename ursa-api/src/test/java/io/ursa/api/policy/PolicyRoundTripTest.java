package io.ursa.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.Resource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyRoundTripTest {
    static Stream<Named<JsonNode>> documents() {
        return RoundTrips.documentsIn("testdata/policy/roundtrip");
    }

    static Stream<Named<JsonNode>> defaultPolicies() {
        return documents().filter(d -> d.getName().startsWith("default-policies.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void encodesBackToTheSameJson(JsonNode document) {
        RoundTrips.assertRoundTrips(document);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultPolicies")
    void defaultPoliciesAreValid(JsonNode document) {
        assertThat(ValidationVectors.validate(ValidationVectors.CODEC.decode(document))).isEmpty();
    }

    @Test
    void defaultPoliciesCoverTheFiveKumaCreates() {
        List<String> types = defaultPolicies().map(d -> d.getPayload().path("type").asText()).toList();
        assertThat(types).containsExactly("TrafficPermission", "TrafficRoute", "Timeout", "CircuitBreaker", "Retry");
    }

    @Test
    void writesGoDurationsInProtobufForm() {
        JsonNode out = RoundTrips.reencode(yaml("""
                type: Retry
                mesh: demo
                name: go-durations
                conf:
                  http:
                    perTryTimeout: 1h
                    backOff:
                      baseInterval: 25ms
                      maxInterval: 1m30s
                """));
        JsonNode http = out.path("conf").path("http");
        assertThat(http.path("perTryTimeout").asText()).isEqualTo("3600s");
        assertThat(http.path("backOff").path("baseInterval").asText()).isEqualTo("0.025s");
        assertThat(http.path("backOff").path("maxInterval").asText()).isEqualTo("90s");
    }

    @Test
    void omitsZeroValuesButKeepsSetWrappersAndEmptyObjects() {
        JsonNode out = RoundTrips.reencode(yaml("""
                type: CircuitBreaker
                mesh: demo
                name: zeros
                sources: []
                conf:
                  splitExternalAndLocalErrors: false
                  interval: null
                  detectors:
                    totalErrors: {}
                  thresholds:
                    maxRetries: 0
                """));
        assertThat(out.has("sources")).isFalse();
        assertThat(out.path("conf").has("splitExternalAndLocalErrors")).isFalse();
        assertThat(out.path("conf").has("interval")).isFalse();
        assertThat(out.path("conf").path("detectors").path("totalErrors").isObject()).isTrue();
        assertThat(out.path("conf").path("detectors").path("totalErrors")).isEmpty();
        assertThat(out.path("conf").path("thresholds").path("maxRetries").isInt()).isTrue();
    }

    @Test
    void kubernetesFormDecodesToTheSameResourceAsUniversal() {
        for (String type : List.of("TrafficPermission", "TrafficRoute")) {
            JsonNode universal = defaultPolicies()
                    .filter(d -> d.getPayload().path("type").asText().equals(type))
                    .findFirst().orElseThrow().getPayload();
            Resource<?> fromUniversal = ValidationVectors.CODEC.decode(universal);
            Resource<?> fromKubernetes = ValidationVectors.CODEC.decode(
                    ValidationVectors.CODEC.toKubernetes(fromUniversal));
            assertThat(fromKubernetes).isEqualTo(fromUniversal);
        }
    }

    @Test
    void kubernetesManifestAsUsersWriteItDecodes() {
        Resource<?> fromKubernetes = ValidationVectors.CODEC.decode(yaml("""
                apiVersion: kuma.io/v1alpha1
                kind: TrafficPermission
                mesh: demo
                metadata:
                  name: allow-all-demo
                spec:
                  sources:
                  - match:
                      kuma.io/service: '*'
                  destinations:
                  - match:
                      kuma.io/service: '*'
                """));
        Resource<?> fromUniversal = ValidationVectors.CODEC.decode(defaultPolicies().findFirst().orElseThrow()
                .getPayload());
        assertThat(fromKubernetes).isEqualTo(fromUniversal);
    }

    private static JsonNode yaml(String text) {
        return ValidationVectors.CODEC.parseYamlDocuments(text).get(0);
    }
}
