package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a TrafficRoute (placeholder until its fields are modelled). */
public record TrafficRouteSpec() implements Spec {
}
