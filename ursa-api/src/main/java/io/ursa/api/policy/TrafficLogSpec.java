package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a TrafficLog (placeholder until its fields are modelled). */
public record TrafficLogSpec() implements Spec {
}
