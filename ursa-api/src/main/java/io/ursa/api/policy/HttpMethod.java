package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.spec.ProtoEnums;

/** Kuma's {@code HttpMethod} enum ({@code http_method.proto}), in proto number order ({@code NONE} is 0). */
public enum HttpMethod {
    NONE,
    CONNECT,
    DELETE,
    GET,
    HEAD,
    OPTIONS,
    PATCH,
    POST,
    PUT,
    TRACE;

    @JsonCreator
    static HttpMethod fromJson(JsonNode value) {
        return ProtoEnums.parse(HttpMethod.class, value);
    }
}
