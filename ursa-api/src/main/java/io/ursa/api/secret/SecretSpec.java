package io.ursa.api.secret;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Base64Bytes;

/**
 * Spec of a Secret ({@code api/system/v1alpha1/secret.proto}): one value, written as base64 in {@code data}.
 * {@code data} is null when absent. {@link #toString()} never shows the value.
 */
public record SecretSpec(@JsonInclude(JsonInclude.Include.NON_NULL) Base64Bytes data) implements Spec {

    public static SecretSpec of(byte[] value) {
        return new SecretSpec(Base64Bytes.of(value));
    }

    /** A copy of the value; empty when {@code data} is absent. */
    public byte[] bytes() {
        return data == null ? new byte[0] : data.bytes();
    }

    @Override
    public String toString() {
        return "SecretSpec[data=***]";
    }
}
