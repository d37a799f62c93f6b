package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ursa.core.manager.ResourceManager;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;

/**
 * Checks the zone token a zone proxy (a zone egress) presents when it connects, in Kuma 2.0's order
 * ({@code pkg/core/tokens/validator.go}, then {@code authZoneEntity} in
 * {@code pkg/xds/auth/universal/authenticator.go}):
 * <ol>
 *   <li>the JWT is RS256, names its key in {@code kid} (there is no legacy key: no {@code kid} is
 *       {@code missing Key ID}) and verifies with the GlobalSecret {@code zone-token-signing-key-<kid>};</li>
 *   <li>it is not expired ({@code exp}) and already valid ({@code nbf});</li>
 *   <li>its {@code jti} is not in the GlobalSecret {@code zone-token-revocations};</li>
 *   <li>its {@code Scope} contains the scope asked for ({@link ZoneTokens#EGRESS_SCOPE} for a zone egress);</li>
 *   <li>when its {@code Zone} is set, the proxy's zone is that zone. As in Kuma the rule is one-sided: a token bound
 *       to a zone is refused to a proxy of no zone, and a token of no zone is accepted from any.</li>
 * </ol>
 * Usage, by the DP server when a zone egress opens its stream:
 * <pre>{@code
 * try {
 *     validator.validate(authorizationHeader, zoneEgress.spec().zone(), ZoneTokens.EGRESS_SCOPE);
 * } catch (InvalidZoneTokenException e) {
 *     // refuse the stream; e.getMessage() is the reason to report
 * }
 * }</pre>
 * Stateless and thread-safe: keys and revocations are read through the manager on every call, so a rotation or
 * revocation counts at the next connection.
 */
public final class ZoneTokenValidator {
    private static final String PARSE_FAILURE = "could not parse token: ";

    private final SignedTokens tokens;

    public ZoneTokenValidator(ResourceManager manager, Clock clock) {
        requireNonNull(manager, "manager");
        SigningKeyScope scope = SigningKeyScope.zone();
        this.tokens = new SignedTokens(new SigningKeys(manager, scope), new Revocations(manager, scope),
                requireNonNull(clock, "clock"));
    }

    /**
     * Validates the {@code token} of a zone proxy of zone {@code zone} (empty: of no zone) that asks to be let in
     * as {@code scope}.
     *
     * <p>Kuma compares the token's zone with its control plane's zone; an Ursa control plane is one zone, and the
     * proxy's zone is the {@code zone} of its ZoneEgress (empty when not set).
     *
     * @param token the token as presented (the {@code authorization} metadata of the stream)
     * @param zone  the zone of the proxy; empty for none
     * @param scope the kind of the proxy: {@link ZoneTokens#EGRESS_SCOPE} (or {@link ZoneTokens#INGRESS_SCOPE})
     * @throws InvalidZoneTokenException when the proxy may not connect with this token; the message says why
     * @throws IllegalArgumentException  when {@code scope} is not one of {@link ZoneTokens#FULL_SCOPE}
     */
    public void validate(String token, String zone, String scope) throws InvalidZoneTokenException {
        requireNonNull(token, "token");
        requireNonNull(zone, "zone");
        requireNonNull(scope, "scope");
        if (!ZoneTokens.FULL_SCOPE.contains(scope)) {
            throw new IllegalArgumentException("invalid scope: \"" + scope + "\" (expected one of "
                    + ZoneTokens.FULL_SCOPE + ")");
        }
        JWTClaimsSet claims = verifiedClaims(token);
        String tokenZone;
        List<String> tokenScope;
        try {
            tokenZone = claims.getStringClaim(ZoneTokenIssuer.ZONE);
            tokenScope = claims.getStringListClaim(ZoneTokenIssuer.SCOPE);
        } catch (ParseException e) {
            throw new InvalidZoneTokenException(PARSE_FAILURE + "claim " + ZoneTokenIssuer.ZONE + " must be a string"
                    + " and " + ZoneTokenIssuer.SCOPE + " a list of strings", e);
        }
        String id = claims.getJWTID() == null ? "" : claims.getJWTID();
        if (tokens.isRevoked(id)) {
            throw new InvalidZoneTokenException("token is revoked");
        }
        List<String> scopes = tokenScope == null ? List.of() : tokenScope;
        if (!scopes.contains(scope)) {
            throw new InvalidZoneTokenException("token cannot be used to authenticate zone entity (" + scope
                    + " is out of token's scope: " + String.join(" ", scopes).transform(s -> "[" + s + "]") + ")");
        }
        if (tokenZone != null && !tokenZone.isEmpty() && !tokenZone.equals(zone)) {
            throw new InvalidZoneTokenException("zone from requestor: " + zone + " is different than in token: "
                    + tokenZone);
        }
    }

    private JWTClaimsSet verifiedClaims(String token) throws InvalidZoneTokenException {
        try {
            return tokens.verify(token);
        } catch (TokenRejection e) {
            // Kuma words a missing key on its own; every other failure is a token that "could not be parsed"
            String reason = e.reason() == TokenRejection.Reason.UNKNOWN_KEY
                    ? e.getMessage() : PARSE_FAILURE + e.getMessage();
            throw new InvalidZoneTokenException(reason, e);
        }
    }
}
