package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a ExternalService (placeholder until its fields are modelled). */
public record ExternalServiceSpec() implements Spec {
}
