package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Revoked dataplane tokens (spec §4.4, §10.3): the Secret {@code dataplane-token-revocations-<mesh>} holds the
 * revoked token IDs ({@code jti}), comma-separated; a trailing newline and blanks around an ID are ignored. No
 * Secret means nothing is revoked. Read on every check, so a revocation counts at the next connection.
 * Thread-safe.
 */
final class Revocations {
    static final String PREFIX = "dataplane-token-revocations-";

    private final ResourceManager manager;

    Revocations(ResourceManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    static String secretName(String mesh) {
        return PREFIX + mesh;
    }

    boolean isRevoked(String mesh, String tokenId) {
        return manager.get(ResourceTypes.SECRET, mesh, secretName(mesh))
                .map(secret -> new String(secret.spec().bytes(), StandardCharsets.UTF_8))
                .map(ids -> Arrays.stream(ids.split(",")).map(String::strip)
                        .anyMatch(id -> !id.isEmpty() && id.equals(tokenId)))
                .orElse(false);
    }
}
