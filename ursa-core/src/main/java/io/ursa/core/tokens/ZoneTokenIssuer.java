package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ursa.core.manager.ResourceManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Issues zone tokens (Kuma 2.0's {@code pkg/tokens/builtin/zone/issuer.go}), which a zone egress presents to the
 * DP server: RS256 JWTs signed with the latest GlobalSecret {@code zone-token-signing-key-<serial>}, whose serial is
 * the {@code kid} header. Claims, with Kuma's names: {@code Zone} (the zone the token is bound to; empty: any) and
 * {@code Scope} (the kinds of zone proxy it may prove, of {@link ZoneTokens#FULL_SCOPE}), and {@code jti},
 * {@code iat}, {@code nbf} (now − 5 min) and {@code exp} as every token has them. Usage:
 * <pre>{@code
 * String jwt = issuer.issue("", List.of(ZoneTokens.EGRESS_SCOPE), Duration.ofDays(30));
 * }</pre>
 * Stateless and thread-safe; keys are read through the manager on every call.
 */
public final class ZoneTokenIssuer {
    /** How long a token is valid when the request does not say: 10 years, as Kuma's token endpoint. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24L * 365 * 10);
    static final String ZONE = "Zone";
    static final String SCOPE = "Scope";

    private final SignedTokens tokens;

    public ZoneTokenIssuer(ResourceManager manager, Clock clock) {
        requireNonNull(manager, "manager");
        SigningKeyScope scope = SigningKeyScope.zone();
        this.tokens = new SignedTokens(new SigningKeys(manager, scope), new Revocations(manager, scope),
                requireNonNull(clock, "clock"));
    }

    /**
     * A token bound to {@code zone} (empty: not bound) for the scopes {@code scope}, valid for {@code validFor}
     * from now.
     *
     * @throws IllegalArgumentException    when {@code scope} is empty or names a scope not in
     *                                     {@link ZoneTokens#FULL_SCOPE}, or {@code validFor} is not positive
     * @throws SigningKeyNotFoundException when there is no zone-token signing key
     */
    public String issue(String zone, List<String> scope, Duration validFor) {
        requireNonNull(zone, "zone");
        List<String> scopes = List.copyOf(requireNonNull(scope, "scope"));
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("invalid scope: [] (expected: at least one of " + ZoneTokens.FULL_SCOPE
                    + ")");
        }
        for (String s : scopes) {
            if (!ZoneTokens.FULL_SCOPE.contains(s)) {
                throw new IllegalArgumentException("invalid scope: \"" + s + "\" (expected one of "
                        + ZoneTokens.FULL_SCOPE + ")");
            }
        }
        return tokens.sign(new JWTClaimsSet.Builder()
                .claim(ZONE, zone)
                .claim(SCOPE, scopes), validFor);
    }
}
