package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

/**
 * There is no token signing key with the wanted serial (spec §10.3), or none at all when a token is issued: a
 * mesh's dataplane-token key or a user-token key. The message is Kuma's. REST: 404 {@code Signing Key not found}.
 */
public final class SigningKeyNotFoundException extends RuntimeException {
    private final String mesh;
    private final int serial;

    SigningKeyNotFoundException(SigningKeyScope scope, int serial) {
        super("there is no signing key with serial number " + serial + ". " + scope.describeSecret(serial)
                + " is not found. If signing key was rotated, regenerate the token");
        this.mesh = requireNonNull(scope, "scope").mesh();
        this.serial = serial;
    }

    /** The mesh of a dataplane-token key; empty for a user-token key. */
    public String mesh() {
        return mesh;
    }

    public int serial() {
        return serial;
    }
}
