package io.ursa.api.resource;

/** Optional traits of a resource type. */
public enum Trait {
    /** Only admins may read or write it (Kuma: Secret). */
    ADMIN_ONLY,
    /** A mesh policy: counted in mesh insights and listed by {@code GET /policies}. */
    POLICY
}
