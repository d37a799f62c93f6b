package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.manager.ResourceManager;
import java.util.List;

/**
 * Names and start-up work of zone tokens (Kuma 2.0's {@code pkg/tokens/builtin/zone}), which prove the identity of
 * zone proxies (here: zone egresses) to the DP server: the scopes a token may carry, the GlobalSecrets that hold the
 * signing keys ({@code zone-token-signing-key-<serial>}) and the revoked token IDs ({@value #REVOCATIONS}), and
 * the creation of signing key 1 at every start when there is none of any serial, as Kuma's defaults component does
 * (so a rotation to key 2 and the removal of key 1 is not undone).
 */
public final class ZoneTokens {
    /** The scope of a token that a zone ingress may present (Kuma's; Ursa has no zone ingress). */
    public static final String INGRESS_SCOPE = "ingress";
    /** The scope of a token that a zone egress may present. */
    public static final String EGRESS_SCOPE = "egress";
    /** Every scope, in Kuma's order: what {@code generate zone-token} asks for without {@code --scope}. */
    public static final List<String> FULL_SCOPE = List.of(INGRESS_SCOPE, EGRESS_SCOPE);
    /** The GlobalSecret holding revoked zone-token IDs, comma-separated. */
    public static final String REVOCATIONS = SigningKeyScope.ZONE_REVOCATIONS;

    private ZoneTokens() {
    }

    /** The GlobalSecret name of the zone-token signing key of {@code serial} (at least 1). */
    public static String signingKeyName(int serial) {
        if (serial < 1) {
            throw new IllegalArgumentException("invalid serial: " + serial + " (expected: >= 1; zone tokens have no"
                    + " legacy key 0)");
        }
        return SigningKeyScope.zone().secretName(serial);
    }

    /** Creates signing key 1 when no zone-token signing key exists; true if it created it. */
    public static boolean ensureSigningKey(ResourceManager manager) {
        requireNonNull(manager, "manager");
        SigningKeyScope scope = SigningKeyScope.zone();
        if (new SigningKeys(manager, scope).latestSerial().isPresent()) {
            return false;
        }
        return manager.createIfAbsent(ResourceTypes.GLOBAL_SECRET, "", scope.secretName(1),
                SecretSpec.of(RsaKeys.newPrivateKeyPem()));
    }
}
