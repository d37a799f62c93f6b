package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ursa.core.access.User;
import io.ursa.core.manager.ResourceManager;
import java.time.Clock;
import java.time.Duration;

/**
 * Issues user tokens, which callers of the REST API send as {@code Authorization: Bearer <token>}: RS256 JWTs
 * signed with the latest GlobalSecret {@code user-token-signing-key-<serial>}, whose serial is the {@code kid}
 * header. Claims, with Kuma's names: {@code Name} (the user), {@code Groups} (its groups), and {@code jti},
 * {@code iat}, {@code nbf} (now − 5 min) and {@code exp} as dataplane tokens have them. Usage:
 * <pre>{@code
 * String jwt = issuer.issue(new User("alice", List.of("team-a")), Duration.ofHours(24));
 * }</pre>
 * Stateless and thread-safe; keys are read through the manager on every call.
 */
public final class UserTokenIssuer {
    static final String NAME = "Name";
    static final String GROUPS = "Groups";

    private final SignedTokens tokens;

    public UserTokenIssuer(ResourceManager manager, Clock clock) {
        requireNonNull(manager, "manager");
        SigningKeyScope scope = SigningKeyScope.user();
        this.tokens = new SignedTokens(new SigningKeys(manager, scope), new Revocations(manager, scope),
                requireNonNull(clock, "clock"));
    }

    /**
     * A token for {@code user}, valid for {@code validFor} from now. The groups are the user's own; the group
     * {@code mesh-system:authenticated} is added by whoever accepts the token, not written into it.
     *
     * @throws SigningKeyNotFoundException when there is no user-token signing key
     */
    public String issue(User user, Duration validFor) {
        requireNonNull(user, "user");
        return tokens.sign(new JWTClaimsSet.Builder()
                .claim(NAME, user.name())
                .claim(GROUPS, user.groups()), validFor);
    }
}
