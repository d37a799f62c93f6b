package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.MeshNotFoundException;
import io.ursa.core.manager.ResourceManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issues dataplane tokens (spec §10.3): RS256 JWTs signed with the mesh's latest signing key, whose serial is the
 * {@code kid} header. Claims, with Kuma's names: {@code Name}, {@code Mesh}, {@code Tags} (tag → sorted values),
 * {@code Type}, and {@code jti} (a random UUID), {@code iat} (now), {@code nbf} (now − 5 min, for clock skew),
 * {@code exp} (now + validity). Usage:
 * <pre>{@code
 * String jwt = issuer.issue(DataplaneIdentity.of("web-1", "demo", Map.of(), "dataplane"), Duration.ofHours(24));
 * }</pre>
 * Stateless and thread-safe; keys are read through the manager on every call.
 */
public final class DataplaneTokenIssuer {
    /** How long a token is valid when the request does not say: 10 years, as Kuma. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24L * 365 * 10);
    /** How far before its issue time a token is already valid. */
    static final Duration NOT_BEFORE_SKEW = Duration.ofMinutes(5);

    private final ResourceManager manager;
    private final SigningKeys keys;
    private final Clock clock;

    public DataplaneTokenIssuer(ResourceManager manager, Clock clock) {
        this.manager = requireNonNull(manager, "manager");
        this.keys = new SigningKeys(manager);
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * A token for {@code identity}, valid for {@code validFor} from now.
     *
     * @throws MeshNotFoundException       when the identity's mesh does not exist
     * @throws SigningKeyNotFoundException when the mesh has no signing key
     */
    public String issue(DataplaneIdentity identity, Duration validFor) {
        requireNonNull(identity, "identity");
        requireNonNull(validFor, "validFor");
        if (validFor.isNegative() || validFor.isZero()) {
            throw new IllegalArgumentException("invalid validFor: " + validFor + " (expected: > 0)");
        }
        String mesh = identity.mesh();
        if (manager.get(ResourceTypes.MESH, "", mesh).isEmpty()) {
            throw new MeshNotFoundException(mesh);
        }
        SigningKeys.SigningKey key = keys.latest(mesh)
                .orElseThrow(() -> new SigningKeyNotFoundException(mesh, 1));

        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim(DataplaneClaims.NAME, identity.name())
                .claim(DataplaneClaims.MESH, mesh)
                .claim(DataplaneClaims.TAGS, tagsClaim(identity))
                .claim(DataplaneClaims.TYPE, identity.type())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minus(NOT_BEFORE_SKEW)))
                .expirationTime(Date.from(now.plus(validFor)))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(Integer.toString(key.serial()))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token with signing key " + key.serial() + " of mesh "
                    + mesh + ": " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static Map<String, List<String>> tagsClaim(DataplaneIdentity identity) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        identity.tags().forEach((key, values) -> tags.put(key, new ArrayList<>(values)));
        return tags;
    }
}
