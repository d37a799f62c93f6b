package io.ursa.cp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.tokens.DataplaneTokenValidator;
import io.ursa.core.tokens.InvalidDataplaneTokenException;
import io.ursa.xds.server.ProxyAuthenticator;
import java.time.Clock;
import java.util.Optional;

/** {@code dpServer.auth.type: dpToken}: a proxy must present a valid dataplane token of its mesh (spec §10.3). */
final class DataplaneTokenAuthenticator implements ProxyAuthenticator {
    static final String MISSING = "no dataplane token was presented (expected: ursa-dp --dataplane-token-file, or"
            + " \"dataplane.token\" in the node metadata of a proxyless gRPC application's bootstrap; generate"
            + " one with `ursactl generate dataplane-token --mesh M --name N`)";

    private final DataplaneTokenValidator validator;

    private DataplaneTokenAuthenticator(DataplaneTokenValidator validator) {
        this.validator = requireNonNull(validator, "validator");
    }

    static DataplaneTokenAuthenticator create(ResourceManager manager) {
        return new DataplaneTokenAuthenticator(new DataplaneTokenValidator(manager, Clock.systemUTC()));
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
