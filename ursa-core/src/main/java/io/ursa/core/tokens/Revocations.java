package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import io.ursa.core.manager.ResourceManager;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Revoked tokens of one {@link SigningKeyScope} (spec §4.4, §10.3): its revocation secret
 * ({@code dataplane-token-revocations-<mesh>}, or the GlobalSecret {@code user-token-revocations}) holds the revoked
 * token IDs ({@code jti}), comma-separated; a trailing newline and blanks around an ID are ignored. No secret means
 * nothing is revoked. Read on every check, so a revocation counts at the next use of the token. Thread-safe.
 */
final class Revocations {
    private final ResourceManager manager;
    private final SigningKeyScope scope;

    Revocations(ResourceManager manager, SigningKeyScope scope) {
        this.manager = requireNonNull(manager, "manager");
        this.scope = requireNonNull(scope, "scope");
    }

    boolean isRevoked(String tokenId) {
        return manager.get(scope.type(), scope.mesh(), scope.revocations())
                .map(secret -> new String(secret.spec().bytes(), StandardCharsets.UTF_8))
                .map(ids -> Arrays.stream(ids.split(",")).map(String::strip)
                        .anyMatch(id -> !id.isEmpty() && id.equals(tokenId)))
                .orElse(false);
    }
}
