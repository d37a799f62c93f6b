package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

/**
 * A mesh has no dataplane-token signing key with the wanted serial (spec §10.3), or none at all when a token is
 * issued. The message is Kuma's. REST: 404 {@code Signing Key not found}.
 */
public final class SigningKeyNotFoundException extends RuntimeException {
    private final String mesh;
    private final int serial;

    SigningKeyNotFoundException(String mesh, int serial) {
        super("there is no signing key with serial number " + serial + ". Secret of name \""
                + SigningKeys.secretName(mesh, serial) + "\" in mesh \"" + mesh + "\" is not found."
                + " If signing key was rotated, regenerate the token");
        this.mesh = requireNonNull(mesh, "mesh");
        this.serial = serial;
    }

    public String mesh() {
        return mesh;
    }

    public int serial() {
        return serial;
    }
}
