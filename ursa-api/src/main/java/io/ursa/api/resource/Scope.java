package io.ursa.api.resource;

/** Where a resource type lives: at the top level (like Mesh) or inside one mesh (everything else). */
public enum Scope {
    GLOBAL,
    MESH
}
