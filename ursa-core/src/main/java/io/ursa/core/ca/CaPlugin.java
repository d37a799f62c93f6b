package io.ursa.core.ca;

import io.ursa.api.validation.Violations;
import java.util.Set;

/**
 * One kind of certificate authority a mesh's {@code mtls.backends[].type} can name ({@code builtin},
 * {@code provided}). Implementations live in {@code ursa-ca}; the mesh manager looks them up by type.
 */
public interface CaPlugin {
    /** The backend type this plugin serves, e.g. {@code builtin}. */
    String type();

    /**
     * Checks a backend's configuration for {@code mesh}. Violations use paths relative to the backend's
     * {@code conf} (the manager prefixes {@code mtls.backends[i].conf}).
     */
    void validate(CaBackendContext context, Violations violations);

    /**
     * Creates whatever the backend needs before the mesh uses it (the builtin CA's root certificate and key),
     * if it does not exist yet. Called on mesh create and update, for every backend listed.
     */
    default void ensure(CaBackendContext context) {
    }

    /**
     * The Secrets (names in the backend's mesh) this backend depends on; deleting one of them is refused while
     * the backend is listed in its mesh.
     */
    default Set<String> usedSecrets(CaBackendContext context) {
        return Set.of();
    }

    /**
     * The backend's CA certificate (chain) and key, read from where the backend keeps them, to sign proxy
     * certificates with.
     *
     * @throws CaUnavailableException when they cannot be read or do not parse; the message says why
     */
    default CaKeyPair keyPair(CaBackendContext context) throws CaUnavailableException {
        throw new CaUnavailableException("CA backend " + context.backendName() + " of mesh " + context.mesh()
                + " (type " + type() + ") cannot sign proxy certificates");
    }
}
