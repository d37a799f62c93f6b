package io.ursa.api.policy;

import io.ursa.api.resource.Spec;

/** Spec of a VirtualOutbound (placeholder until its fields are modelled). */
public record VirtualOutboundSpec() implements Spec {
}
