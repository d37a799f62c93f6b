package io.ursa.api.resource;

/**
 * Marker for the spec of a resource type. Specs are immutable records whose JSON form follows Kuma's encoding
 * (lowerCamelCase names, zero values omitted, wrapper values kept, unknown fields ignored on input).
 */
public interface Spec {
}
