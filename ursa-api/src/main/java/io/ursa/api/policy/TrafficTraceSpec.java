package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a TrafficTrace (placeholder until its fields are modelled). */
public record TrafficTraceSpec() implements Spec {
}
