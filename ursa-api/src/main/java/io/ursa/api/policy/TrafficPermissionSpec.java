package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a TrafficPermission (placeholder until its fields are modelled). */
public record TrafficPermissionSpec() implements Spec {
}
