package io.ursa.ca;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.ConfReader;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code conf} of a {@code builtin} CA backend ({@code BuiltinCertificateAuthorityConfig}).
 *
 * @param rsaBits {@code caCert.RSAbits}, the root key size; unset means 2048
 * @param expiration {@code caCert.expiration} in Kuma's duration syntax; empty means 10 years
 */
record BuiltinCaConfig(Optional<Long> rsaBits, String expiration) {
    BuiltinCaConfig {
        Objects.requireNonNull(rsaBits, "rsaBits");
        Objects.requireNonNull(expiration, "expiration");
    }

    /** Reads {@code conf} the way Kuma's lenient unmarshal does. */
    static BuiltinCaConfig parse(ObjectNode conf) throws ConfException {
        Optional<ConfReader> caCert = ConfReader.of(conf).object("caCert");
        if (caCert.isEmpty()) {
            return new BuiltinCaConfig(Optional.empty(), "");
        }
        return new BuiltinCaConfig(caCert.get().uint32Wrapper("RSAbits"), caCert.get().string("expiration"));
    }
}
