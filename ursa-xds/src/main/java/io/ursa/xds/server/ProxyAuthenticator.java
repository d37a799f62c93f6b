package io.ursa.xds.server;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import java.util.Optional;

/**
 * Decides whether a proxy may get configuration for the Dataplane it claims (Kuma's {@code dpServer.auth},
 * spec §10.3). Called once per stream, before the Dataplane is registered, on a gRPC worker thread.
 */
@FunctionalInterface
public interface ProxyAuthenticator {

    /**
     * @param dataplane  the Dataplane the proxy claims (its definition, or the stored one)
     * @param credential the token it presented ({@code authorization} header, or the node metadata of proxyless
     *                   gRPC applications), if any
     * @throws AuthenticationException with the reason the proxy is refused
     */
    void authenticate(Resource<DataplaneSpec> dataplane, Optional<String> credential) throws AuthenticationException;

    /** Accepts every proxy ({@code dpServer.auth.type: none}). */
    static ProxyAuthenticator none() {
        return (dataplane, credential) -> { };
    }

    /** Why a proxy was refused; the message is shown to the proxy and logged. */
    final class AuthenticationException extends Exception {
        public AuthenticationException(String message) {
            super(message);
        }
    }
}
