package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a RateLimit (placeholder until its fields are modelled). */
public record RateLimitSpec() implements Spec {
}
