package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a HealthCheck (placeholder until its fields are modelled). */
public record HealthCheckSpec() implements Spec {
}
