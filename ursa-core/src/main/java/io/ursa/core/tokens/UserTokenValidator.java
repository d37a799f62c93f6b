package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ursa.core.access.User;
import io.ursa.core.manager.ResourceManager;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;

/**
 * Checks the user token a caller of the REST API presents: RS256, signed by the GlobalSecret
 * {@code user-token-signing-key-<kid>}, not expired, already valid, its {@code jti} not listed in the GlobalSecret
 * {@code user-token-revocations}, with a non-empty {@code Name} and {@code Groups} a list of non-empty strings.
 * Usage, by the API's authentication:
 * <pre>{@code
 * try {
 *     User user = validator.validate(bearerToken);
 * } catch (InvalidUserTokenException e) {
 *     // 401; e.getMessage() says why without quoting the token
 * }
 * }</pre>
 * Stateless and thread-safe: keys and revocations are read through the manager on every call, so a rotation or
 * revocation counts at the next request.
 */
public final class UserTokenValidator {
    private final SignedTokens tokens;

    public UserTokenValidator(ResourceManager manager, Clock clock) {
        requireNonNull(manager, "manager");
        SigningKeyScope scope = SigningKeyScope.user();
        this.tokens = new SignedTokens(new SigningKeys(manager, scope), new Revocations(manager, scope),
                requireNonNull(clock, "clock"));
    }

    /** The user the token names, with the groups it lists. */
    public User validate(String token) throws InvalidUserTokenException {
        requireNonNull(token, "token");
        JWTClaimsSet claims;
        try {
            claims = tokens.verify(token);
        } catch (TokenRejection e) {
            throw new InvalidUserTokenException(switch (e.reason()) {
                case MALFORMED -> "malformed: " + e.safeDetail();
                case UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID -> e.safeDetail();
            }, e);
        }
        User user = userOf(claims);
        if (claims.getJWTID() == null || claims.getJWTID().isEmpty()) {
            throw new InvalidUserTokenException("malformed: the token has no jti (ID)");
        }
        if (tokens.isRevoked(claims.getJWTID())) {
            throw new InvalidUserTokenException("revoked");
        }
        return user;
    }

    private static User userOf(JWTClaimsSet claims) throws InvalidUserTokenException {
        String name;
        List<String> groups;
        try {
            name = claims.getStringClaim(UserTokenIssuer.NAME);
            groups = claims.getStringListClaim(UserTokenIssuer.GROUPS);
        } catch (ParseException e) {
            throw new InvalidUserTokenException("malformed: claim " + UserTokenIssuer.NAME + " must be a string and "
                    + UserTokenIssuer.GROUPS + " a list of strings", e);
        }
        if (name == null || name.isEmpty()) {
            throw new InvalidUserTokenException("malformed: the token names no user (claim " + UserTokenIssuer.NAME
                    + ")");
        }
        try {
            return new User(name, groups == null ? List.of() : groups);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidUserTokenException("malformed: claim " + UserTokenIssuer.GROUPS
                    + " holds an empty or null group", e);
        }
    }
}
