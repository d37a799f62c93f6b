package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.util.Optional;

/**
 * The TLS a proxy originates toward an ExternalService ({@code networking.tls}), with every data source already
 * loaded (inline, inline string, a Secret of the mesh, or a file on the control plane's host), as Kuma's
 * {@code core_xds.ExternalService}. Compared by content, so a changed Secret makes a different value.
 *
 * @param caCert the CA certificates (PEM) the server must chain to; empty: the server is not verified
 * @param clientCert the client certificate chain (PEM), sent only together with {@code clientKey}
 * @param clientKey the client private key (PEM)
 * @param allowRenegotiation whether the server may renegotiate the session
 * @param serverName the SNI to send instead of the host name
 */
public record ExternalTls(Optional<ByteString> caCert, Optional<ByteString> clientCert,
                          Optional<ByteString> clientKey, boolean allowRenegotiation, Optional<String> serverName) {
    public ExternalTls {
        requireNonNull(caCert, "caCert");
        requireNonNull(clientCert, "clientCert");
        requireNonNull(clientKey, "clientKey");
        requireNonNull(serverName, "serverName");
    }

    @Override
    public String toString() {
        // the key stays out of logs
        return "ExternalTls[caCert=" + caCert.map(c -> c.size() + " bytes").orElse("none") + ", clientCert="
                + clientCert.map(c -> c.size() + " bytes").orElse("none") + ", clientKey="
                + (clientKey.isPresent() ? "set" : "none") + ", allowRenegotiation=" + allowRenegotiation
                + ", serverName=" + serverName.orElse("") + "]";
    }
}
