package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a Retry (placeholder until its fields are modelled). */
public record RetrySpec() implements Spec {
}
