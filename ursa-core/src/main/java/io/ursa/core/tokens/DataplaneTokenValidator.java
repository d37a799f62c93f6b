package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.core.manager.ResourceManager;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
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

    private final SigningKeys keys;
    private final Revocations revocations;
    private final Clock clock;

    public DataplaneTokenValidator(ResourceManager manager, Clock clock) {
        requireNonNull(manager, "manager");
        this.keys = new SigningKeys(manager);
        this.revocations = new Revocations(manager);
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
        SignedJWT jwt = verifiedJwt(token, mesh);
        DataplaneClaims claims = claimsOf(jwt);
        if (revocations.isRevoked(mesh, claims.tokenId())) {
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

    private SignedJWT verifiedJwt(String token, String mesh) throws InvalidDataplaneTokenException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token.strip());
        } catch (ParseException e) {
            throw new InvalidDataplaneTokenException(PARSE_FAILURE + e.getMessage(), e);
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg)) {
            throw new InvalidDataplaneTokenException(PARSE_FAILURE + "unsupported signing algorithm " + alg
                    + " (expected: RS256)");
        }
        int serial = serialOf(jwt.getHeader().getKeyID());
        SigningKeys.SigningKey key;
        try {
            key = keys.bySerial(mesh, serial).orElseThrow(() -> new SigningKeyNotFoundException(mesh, serial));
        } catch (SigningKeyNotFoundException e) {
            throw new InvalidDataplaneTokenException(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new InvalidDataplaneTokenException(PARSE_FAILURE + e.getMessage(), e);
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(RsaKeys.publicKeyOf(key.privateKey())))) {
                throw new InvalidDataplaneTokenException(PARSE_FAILURE + "the signature is invalid (the token was"
                        + " not signed with signing key " + serial + " of mesh \"" + mesh + "\")");
            }
        } catch (JOSEException e) {
            throw new InvalidDataplaneTokenException(PARSE_FAILURE + e.getMessage(), e);
        }
        return jwt;
    }

    private static int serialOf(String kid) throws InvalidDataplaneTokenException {
        if (kid == null) {
            return 0;
        }
        if (kid.isEmpty() || kid.length() > 9 || !kid.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidDataplaneTokenException(PARSE_FAILURE + "invalid kid header: \"" + kid
                    + "\" (expected: the decimal serial number of a signing key)");
        }
        return Integer.parseInt(kid);
    }

    private DataplaneClaims claimsOf(SignedJWT jwt) throws InvalidDataplaneTokenException {
        try {
            Instant now = clock.instant();
            Date exp = jwt.getJWTClaimsSet().getExpirationTime();
            if (exp != null && !now.isBefore(exp.toInstant())) {
                throw new InvalidDataplaneTokenException(PARSE_FAILURE + "token is expired (expired at "
                        + exp.toInstant() + ")");
            }
            Date nbf = jwt.getJWTClaimsSet().getNotBeforeTime();
            if (nbf != null && now.isBefore(nbf.toInstant())) {
                throw new InvalidDataplaneTokenException(PARSE_FAILURE + "token is not valid yet (valid from "
                        + nbf.toInstant() + ")");
            }
            return DataplaneClaims.from(jwt.getJWTClaimsSet());
        } catch (ParseException e) {
            throw new InvalidDataplaneTokenException(PARSE_FAILURE + e.getMessage(), e);
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
