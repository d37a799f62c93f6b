package io.ursa.xds.server;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.zoneegress.ZoneEgressSpec;
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

    /**
     * Decides whether a zone egress proxy may get configuration as {@code zoneEgress} (Kuma: a zone token with
     * scope {@code egress}). Refuses every one unless implemented: an authenticator that knows no zone tokens must
     * not let a proxy that belongs to no mesh in.
     *
     * @throws AuthenticationException with the reason the proxy is refused
     */
    default void authenticateZoneEgress(Resource<ZoneEgressSpec> zoneEgress, Optional<String> credential)
            throws AuthenticationException {
        throw new AuthenticationException("zone egress proxies are not accepted by this control plane");
    }

    /** Accepts every proxy ({@code dpServer.auth.type: none}). */
    static ProxyAuthenticator none() {
        return new ProxyAuthenticator() {
            @Override
            public void authenticate(Resource<DataplaneSpec> dataplane, Optional<String> credential) {
            }

            @Override
            public void authenticateZoneEgress(Resource<ZoneEgressSpec> zoneEgress, Optional<String> credential) {
            }
        };
    }

    /** Why a proxy was refused; the message is shown to the proxy and logged. */
    final class AuthenticationException extends Exception {
        public AuthenticationException(String message) {
            super(message);
        }
    }
}
