package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a ProxyTemplate (placeholder until its fields are modelled). */
public record ProxyTemplateSpec() implements Spec {
}
