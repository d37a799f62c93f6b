package io.ursa.cp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.tokens.DataplaneTokenValidator;
import io.ursa.core.tokens.InvalidDataplaneTokenException;
import io.ursa.core.tokens.InvalidZoneTokenException;
import io.ursa.core.tokens.ZoneTokenValidator;
import io.ursa.core.tokens.ZoneTokens;
import io.ursa.xds.server.ProxyAuthenticator;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code dpServer.auth.type: dpToken}: a proxy must present a valid dataplane token of its mesh (spec §10.3), and a
 * zone egress proxy a valid zone token with scope {@code egress} (Kuma 2.0's zone tokens).
 */
final class DataplaneTokenAuthenticator implements ProxyAuthenticator {
    static final String MISSING = "no dataplane token was presented (expected: ursa-dp --dataplane-token-file, or"
            + " \"dataplane.token\" in the node metadata of a proxyless gRPC application's bootstrap; generate"
            + " one with `ursactl generate dataplane-token --mesh M --name N`)";

    static final String MISSING_ZONE_TOKEN = "no zone token was presented (expected: ursa-dp run --proxy-type egress"
            + " --dataplane-token-file with a token from `ursactl generate zone-token --scope egress --valid-for D`)";

    private final DataplaneTokenValidator validator;
    private final ZoneTokenValidator zoneTokens;

    private DataplaneTokenAuthenticator(DataplaneTokenValidator validator, ZoneTokenValidator zoneTokens) {
        this.validator = requireNonNull(validator, "validator");
        this.zoneTokens = requireNonNull(zoneTokens, "zoneTokens");
    }

    static DataplaneTokenAuthenticator create(ResourceManager manager) {
        return new DataplaneTokenAuthenticator(new DataplaneTokenValidator(manager, Clock.systemUTC()),
                new ZoneTokenValidator(manager, Clock.systemUTC()));
    }

    @Override
    public void authenticateZoneEgress(Resource<ZoneEgressSpec> zoneEgress, Optional<String> credential)
            throws AuthenticationException {
        if (credential.isEmpty()) {
            throw new AuthenticationException(MISSING_ZONE_TOKEN);
        }
        try {
            zoneTokens.validate(credential.get(), zoneEgress.spec().zone(), ZoneTokens.EGRESS_SCOPE);
        } catch (InvalidZoneTokenException e) {
            throw new AuthenticationException(e.getMessage());
        }
    }

    @Override
    public void authenticate(Resource<DataplaneSpec> dataplane, Optional<String> credential)
            throws AuthenticationException {
        if (credential.isEmpty()) {
            throw new AuthenticationException(MISSING);
        }
        try {
            validator.validate(credential.get(), dataplane.mesh(), dataplane.name(), dataplane.spec());
        } catch (InvalidDataplaneTokenException e) {
            throw new AuthenticationException(e.getMessage());
        }
    }
}
