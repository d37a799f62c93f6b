package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a CircuitBreaker (placeholder until its fields are modelled). */
public record CircuitBreakerSpec() implements Spec {
}
