package io.ursa.api.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.policy.ValidationVectors;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretTest {
    static Stream<ValidationVectors.Case> cases() {
        return ValidationVectors.casesIn("testdata/secret/validation");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsViolations(ValidationVectors.Case vector) {
        vector.check();
    }

    @Test
    void writesTheValueInStandardBase64WhateverTheInputAlphabet() {
        Resource<?> secret = ValidationVectors.CODEC.decode(ValidationVectors.CODEC.parseYamlDocuments("""
                type: Secret
                mesh: default
                name: url-safe
                data: "-_-_"
                """).get(0));
        assertThat(ValidationVectors.CODEC.encodeSpec(secret.spec()).path("data").asText()).isEqualTo("+/+/");
    }

    @Test
    void bytesAreACopy() {
        SecretSpec spec = SecretSpec.of("hello".getBytes(StandardCharsets.UTF_8));
        spec.bytes()[0] = 'j';
        assertThat(new String(spec.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(spec.data().base64()).isEqualTo("aGVsbG8=");
    }

    @Test
    void neverShowsTheValue() {
        Resource<SecretSpec> secret = Resource.of(ResourceTypes.SECRET, "default", "s",
                SecretSpec.of("p4ssw0rd".getBytes(StandardCharsets.UTF_8)));
        assertThat(secret.toString()).doesNotContain("cDRzc3cwcmQ").doesNotContain("p4ssw0rd");
    }

    @Test
    void absentDataHasNoBytes() {
        assertThat(new SecretSpec(null).bytes()).isEmpty();
        assertThat(ValidationVectors.CODEC.encodeSpec(new SecretSpec(null))).isEmpty();
    }
}
