package io.ursa.xds.envoy.tls;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.charset.StandardCharsets;

/**
 * SDS secrets ({@code kuma-2.0-envoy-config.md} §7, Kuma's {@code pkg/xds/envoy/secrets/v3}): material inline, as
 * PEM bytes.
 */
public final class Secrets {
    private Secrets() {
    }

    /** {@code tlsCertificate {certificateChain.inlineBytes, privateKey.inlineBytes}}. */
    public static Secret identity(String name, String certificatePem, String privateKeyPem) {
        return Secret.newBuilder()
                .setName(requireNonNull(name, "name"))
                .setTlsCertificate(TlsCertificate.newBuilder()
                        .setCertificateChain(inline(requireNonNull(certificatePem, "certificatePem")))
                        .setPrivateKey(inline(requireNonNull(privateKeyPem, "privateKeyPem"))))
                .build();
    }

    /** {@code validationContext.trustedCa.inlineBytes}: the CA certificates a peer must chain to. */
    public static Secret trustedCa(String name, String caCertificatesPem) {
        return Secret.newBuilder()
                .setName(requireNonNull(name, "name"))
                .setValidationContext(CertificateValidationContext.newBuilder()
                        .setTrustedCa(inline(requireNonNull(caCertificatesPem, "caCertificatesPem"))))
                .build();
    }

    private static DataSource inline(String pem) {
        return DataSource.newBuilder()
                .setInlineBytes(com.google.protobuf.ByteString.copyFrom(pem, StandardCharsets.UTF_8))
                .build();
    }
}
