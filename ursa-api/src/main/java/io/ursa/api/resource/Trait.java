package io.ursa.api.resource;

/** Optional traits of a resource type. */
public enum Trait {
    /** Only admins may read or write it (Kuma: Secret). */
    ADMIN_ONLY,
    /** A mesh policy: counted in mesh insights and listed by {@code GET /policies}. */
    POLICY,
    /**
     * A policy whose matches the inspect API shows: which Dataplanes it hits, and where (Kuma 2.0's
     * {@code allow_to_inspect}: not ExternalService, not VirtualOutbound).
     */
    INSPECTABLE,
    /**
     * Namespaced in Kuma's Kubernetes form (spec §11.1, {@code pkg/util/k8s/name_converter.go}): the name is
     * {@code <metadata.name>.<metadata.namespace>}, and a name is written back split at its last dot.
     */
    K8S_NAMESPACED,
    /** Marked experimental in Kuma 2.0 ({@code is_experimental}), as {@code GET /policies} says. */
    EXPERIMENTAL
}
