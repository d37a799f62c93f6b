package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.MeshNotFoundException;
import io.ursa.core.manager.ResourceManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    static final Duration NOT_BEFORE_SKEW = SignedTokens.NOT_BEFORE_SKEW;

    private final ResourceManager manager;
    private final Clock clock;

    public DataplaneTokenIssuer(ResourceManager manager, Clock clock) {
        this.manager = requireNonNull(manager, "manager");
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
        SignedTokens.checkValidity(validFor);
        String mesh = identity.mesh();
        if (manager.get(ResourceTypes.MESH, "", mesh).isEmpty()) {
            throw new MeshNotFoundException(mesh);
        }
        SigningKeyScope scope = SigningKeyScope.dataplane(mesh);
        SignedTokens tokens = new SignedTokens(new SigningKeys(manager, scope), new Revocations(manager, scope), clock);
        return tokens.sign(new JWTClaimsSet.Builder()
                .claim(DataplaneClaims.NAME, identity.name())
                .claim(DataplaneClaims.MESH, mesh)
                .claim(DataplaneClaims.TAGS, tagsClaim(identity))
                .claim(DataplaneClaims.TYPE, identity.type()), validFor);
    }

    private static Map<String, List<String>> tagsClaim(DataplaneIdentity identity) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        identity.tags().forEach((key, values) -> tags.put(key, new ArrayList<>(values)));
        return tags;
    }
}
