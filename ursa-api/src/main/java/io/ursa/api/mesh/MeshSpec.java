package io.ursa.api.mesh;

import io.ursa.api.resource.Spec;

/** Spec of a Mesh (placeholder until its fields are modelled). */
public record MeshSpec() implements Spec {
}
