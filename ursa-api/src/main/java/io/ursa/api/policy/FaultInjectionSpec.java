package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a FaultInjection (placeholder until its fields are modelled). */
public record FaultInjectionSpec() implements Spec {
}
