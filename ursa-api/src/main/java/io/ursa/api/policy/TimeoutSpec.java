package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a Timeout (placeholder until its fields are modelled). */
public record TimeoutSpec() implements Spec {
}
