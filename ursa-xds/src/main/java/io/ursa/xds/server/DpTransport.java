package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.ca.controlplane.ControlPlaneCertificates;
import java.util.List;

/**
 * How the DP server's port is secured: TLS with a certificate (the default: the control plane's own or a supplied
 * one), or plaintext, which only an explicit setting ({@code dpServer.plaintext}) asks for.
 */
public sealed interface DpTransport permits DpTransport.Tls, DpTransport.Plaintext {

    /** The lowest TLS version the DP server accepts ({@code general.tlsMinVersion}). */
    enum MinVersion {
        TLS_1_2(List.of("TLSv1.3", "TLSv1.2")),
        TLS_1_3(List.of("TLSv1.3"));

        private final List<String> protocols;

        MinVersion(List<String> protocols) {
            this.protocols = protocols;
        }

        /** The JSSE protocol names this version and the later ones have. */
        public List<String> protocols() {
            return protocols;
        }
    }

    static DpTransport tls(ControlPlaneCertificates.Material certificate, MinVersion minVersion) {
        return new Tls(certificate, minVersion);
    }

    static DpTransport plaintext() {
        return new Plaintext();
    }

    /**
     * TLS on every connection: gRPC (ALPN {@code h2}) and {@code /bootstrap} (ALPN {@code http/1.1}, or none).
     *
     * @param certificate the server's chain and key, and the CA that bootstraps tell Envoy to trust
     * @param minVersion  the lowest TLS version accepted
     */
    record Tls(ControlPlaneCertificates.Material certificate, MinVersion minVersion) implements DpTransport {
        public Tls {
            requireNonNull(certificate, "certificate");
            requireNonNull(minVersion, "minVersion");
        }
    }

    /** No TLS: tokens and proxies' private keys cross the network in clear. */
    record Plaintext() implements DpTransport {
    }
}
