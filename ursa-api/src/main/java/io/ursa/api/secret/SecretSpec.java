package io.ursa.api.secret;

import io.ursa.api.resource.Spec;

/** Spec of a Secret (placeholder until its fields are modelled). */
public record SecretSpec() implements Spec {
}
