package io.ursa.api.dataplane;

import io.ursa.api.resource.Spec;

/** Spec of a Dataplane (placeholder until its fields are modelled). */
public record DataplaneSpec() implements Spec {
}
