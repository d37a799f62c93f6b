package io.ursa.core.ca;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a {@link CaPlugin} sees of one {@code mtls.backends[i]} entry: the mesh, the backend's name and type, its
 * free-form {@code conf} object, and access to the mesh's secrets.
 */
public record CaBackendContext(String mesh, String backendName, String backendType, ObjectNode conf,
                               SecretAccess secrets) {
    public CaBackendContext {
        requireNonNull(mesh, "mesh");
        requireNonNull(backendName, "backendName");
        requireNonNull(backendType, "backendType");
        requireNonNull(conf, "conf");
        requireNonNull(secrets, "secrets");
    }
}
