package io.ursa.ca;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.ConfReader;
import java.util.Objects;
import java.util.Optional;

/** The {@code conf} of a {@code provided} CA backend ({@code ProvidedCertificateAuthorityConfig}). */
record ProvidedCaConfig(Optional<CaDataSource> cert, Optional<CaDataSource> key) {
    ProvidedCaConfig {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }

    /** Reads {@code conf} the way Kuma's lenient unmarshal does. */
    static ProvidedCaConfig parse(ObjectNode conf) throws ConfException {
        ConfReader r = ConfReader.of(conf);
        return new ProvidedCaConfig(CaDataSource.read(r, "cert"), CaDataSource.read(r, "key"));
    }
}
