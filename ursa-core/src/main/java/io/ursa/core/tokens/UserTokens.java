package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.access.User;
import io.ursa.core.manager.ResourceManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * What user tokens need at every start of the control plane (Kuma 2.0's bootstrap): a signing key, the GlobalSecret
 * {@code user-token-signing-key-1}, when there is none of any serial (so a rotation to key 2 and the removal of key
 * 1 is not undone); and, when {@code apiServer.authn.tokens.bootstrapAdminToken} is on, the GlobalSecret
 * {@value #ADMIN_TOKEN} holding a token for the admin user ({@code mesh-system:admin}, group
 * {@code mesh-system:admin}), valid {@link #ADMIN_TOKEN_VALIDITY}, when it is absent. An admin token that was
 * deleted comes back at the next start with a new ID; to stop an old one working, revoke its {@code jti} or rotate
 * the key. Neither method ever logs or returns a token.
 */
public final class UserTokens {
    /** The GlobalSecret that holds the bootstrap admin token. */
    public static final String ADMIN_TOKEN = "admin-user-token";
    /** How long the bootstrap admin token is valid: 10 years, as Kuma's. */
    public static final Duration ADMIN_TOKEN_VALIDITY = Duration.ofHours(24L * 365 * 10);
    /** The GlobalSecret holding revoked user-token IDs, comma-separated. */
    public static final String REVOCATIONS = SigningKeyScope.USER_REVOCATIONS;

    private UserTokens() {
    }

    /** The GlobalSecret name of the user-token signing key of {@code serial}. */
    public static String signingKeyName(int serial) {
        return SigningKeyScope.user().secretName(serial);
    }

    /** Creates signing key 1 when no user-token signing key exists; true if it created it. */
    public static boolean ensureSigningKey(ResourceManager manager) {
        requireNonNull(manager, "manager");
        SigningKeyScope scope = SigningKeyScope.user();
        if (new SigningKeys(manager, scope).latestSerial().isPresent()) {
            return false;
        }
        return manager.createIfAbsent(ResourceTypes.GLOBAL_SECRET, "", scope.secretName(1),
                SecretSpec.of(RsaKeys.newPrivateKeyPem()));
    }

    /**
     * Creates the GlobalSecret {@value #ADMIN_TOKEN} when absent, signed with the latest signing key; true if it
     * created it.
     *
     * @throws SigningKeyNotFoundException when there is no signing key (call {@link #ensureSigningKey} first)
     */
    public static boolean ensureAdminToken(ResourceManager manager, Clock clock) {
        requireNonNull(manager, "manager");
        requireNonNull(clock, "clock");
        if (manager.get(ResourceTypes.GLOBAL_SECRET, "", ADMIN_TOKEN).isPresent()) {
            return false;
        }
        String token = new UserTokenIssuer(manager, clock).issue(User.ADMIN, ADMIN_TOKEN_VALIDITY);
        return manager.createIfAbsent(ResourceTypes.GLOBAL_SECRET, "", ADMIN_TOKEN,
                SecretSpec.of(token.getBytes(StandardCharsets.US_ASCII)));
    }
}
