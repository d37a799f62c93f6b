package io.ursa.core.tokens;

import io.ursa.api.mesh.GoQuote;
import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.core.manager.ResourceManager;
import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks the dataplane token a proxy presents when it connects (spec §10.3), in Kuma's order:
 * <ol>
 *   <li>the JWT is RS256 and verifies with the signing key of the <em>proxy's</em> mesh whose serial is the
 *       token's {@code kid} (no {@code kid}: serial 0), so a token of another mesh fails here;</li>
 *   <li>it is not expired ({@code exp}) and already valid ({@code nbf});</li>
 *   <li>its {@code jti} is not in the mesh's revocation Secret {@code dataplane-token-revocations-<mesh>};</li>
 *   <li>each claim that is set matches the proxy: {@code Name}, {@code Mesh}, and for each token tag, the proxy
 *       has the tag and every value it has for it is allowed. {@code Type} is not checked, as in Kuma.</li>
 * </ol>
 * Usage, by the xDS server when a proxy opens its stream:
 * <pre>{@code
 * try {
 *     validator.validate(authorizationHeader, "demo", "web-1", dataplaneSpec);
 * } catch (InvalidDataplaneTokenException e) {
 *     // refuse the stream; e.getMessage() is the reason to report
 * }
 * }</pre>
 * Stateless and thread-safe: keys and revocations are read through the manager on every call, so a rotation or
 * revocation counts at the next connection.
 */
public final class DataplaneTokenValidator {
    private static final String PARSE_FAILURE = "could not parse token: ";

    private final ResourceManager manager;
    private final Clock clock;

    public DataplaneTokenValidator(ResourceManager manager, Clock clock) {
        this.manager = requireNonNull(manager, "manager");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Validates the {@code token} of the proxy {@code name} in {@code mesh}, whose Dataplane is {@code dataplane}
     * (its tags are those of its inbounds and its gateway).
     */
    public void validate(String token, String mesh, String name, DataplaneSpec dataplane)
            throws InvalidDataplaneTokenException {
        validate(token, mesh, name, tagsOf(requireNonNull(dataplane, "dataplane")));
    }

    /**
     * Validates the {@code token} of the proxy {@code name} in {@code mesh} that carries {@code dataplaneTags}
     * (tag → every value the proxy has for it).
     *
     * @throws InvalidDataplaneTokenException when the proxy may not connect with this token; the message says why
     */
    public void validate(String token, String mesh, String name, Map<String, ? extends Set<String>> dataplaneTags)
            throws InvalidDataplaneTokenException {
        requireNonNull(token, "token");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(dataplaneTags, "dataplaneTags");
        SigningKeyScope scope = SigningKeyScope.dataplane(mesh);
        SignedTokens tokens = new SignedTokens(new SigningKeys(manager, scope), new Revocations(manager, scope), clock);
        DataplaneClaims claims;
        try {
            claims = DataplaneClaims.from(verifiedClaims(tokens, token));
        } catch (ParseException e) {
            throw new InvalidDataplaneTokenException(PARSE_FAILURE + e.getMessage(), e);
        }
        if (tokens.isRevoked(claims.tokenId())) {
            throw new InvalidDataplaneTokenException("token is revoked");
        }
        checkClaims(claims, mesh, name, dataplaneTags);
    }

    /** The tags of a Dataplane: every value of every inbound's and the gateway's tags. */
    public static Map<String, Set<String>> tagsOf(DataplaneSpec dataplane) {
        Map<String, Set<String>> tags = new TreeMap<>();
        for (Map<String, String> set : dataplane.tagSets()) {
            set.forEach((key, value) -> tags.computeIfAbsent(key, k -> new TreeSet<>()).add(value));
        }
        return tags;
    }

    private JWTClaimsSet verifiedClaims(SignedTokens tokens, String token) throws InvalidDataplaneTokenException {
        try {
            return tokens.verify(token);
        } catch (TokenRejection e) {
            // Kuma words a missing key on its own; every other failure is a token that "could not be parsed"
            String reason = e.reason() == TokenRejection.Reason.UNKNOWN_KEY
                    ? e.getMessage() : PARSE_FAILURE + e.getMessage();
            throw new InvalidDataplaneTokenException(reason, e);
        }
    }

    private static void checkClaims(DataplaneClaims claims, String mesh, String name,
                                    Map<String, ? extends Set<String>> dataplaneTags)
            throws InvalidDataplaneTokenException {
        if (!claims.name().isEmpty() && !claims.name().equals(name)) {
            throw new InvalidDataplaneTokenException("proxy name from requestor: " + name
                    + " is different than in token: " + claims.name());
        }
        if (!claims.mesh().isEmpty() && !claims.mesh().equals(mesh)) {
            throw new InvalidDataplaneTokenException("proxy mesh from requestor: " + mesh
                    + " is different than in token: " + claims.mesh());
        }
        for (Map.Entry<String, SortedSet<String>> tag : claims.tags().entrySet()) {
            Set<String> values = dataplaneTags.get(tag.getKey());
            if (values == null || values.isEmpty()) {
                throw new InvalidDataplaneTokenException("dataplane has no tag " + GoQuote.quote(tag.getKey())
                        + " required by the token");
            }
            for (String value : new TreeSet<>(values)) {
                if (!tag.getValue().contains(value)) {
                    throw new InvalidDataplaneTokenException("dataplane contains tag " + GoQuote.quote(tag.getKey())
                            + " with value " + GoQuote.quote(value) + " which is not allowed with this token."
                            + " Allowed values in token are " + tag.getValue().stream().map(GoQuote::quote)
                            .collect(Collectors.joining(" ", "[", "]")));
                }
            }
        }
    }
}
