package io.ursa.xds.envoy.tls;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.xds.envoy.Protos;
import java.util.List;
import java.util.Optional;

/**
 * The TLS contexts of mesh mTLS, in the two forms a proxy understands (and, in
 * {@link #upstreamOutsideMesh}, the TLS a sidecar originates to an ExternalService):
 * <ul>
 *   <li><b>Envoy</b> ({@code kuma-2.0-envoy-config.md} §2.6, §3.6, Kuma's {@code pkg/xds/envoy/tls/v3/tls.go}): the
 *       proxy's certificate and the mesh CA come over SDS on the ADS stream ({@code sdsConfig {ads: {},
 *       resourceApiVersion: V3}}), and the peer's SPIFFE ID is checked with typed URI SAN matchers in a combined
 *       validation context;</li>
 *   <li><b>proxyless gRPC</b> ({@code stack-notes.md} §3): the certificate and the CA come from the bootstrap's
 *       {@code certificate_providers} instance, named in {@code tls_certificate_provider_instance} and
 *       {@code validation_context.ca_certificate_provider_instance}; SANs are checked with
 *       {@code match_subject_alt_names}, which grpc-xds accepts only in an upstream context.</li>
 * </ul>
 * Stateless; every method returns a new immutable message.
 */
public final class TlsContexts {
    /** The name of the TLS transport socket. */
    public static final String TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    /** The ALPN protocol a sidecar offers upstream to say "this is mesh mTLS" (what PERMISSIVE inbounds match). */
    public static final String KUMA_ALPN = "kuma";

    private static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();

    private TlsContexts() {
    }

    /** {@code envoy.transport_sockets.tls} with {@code tlsContext} (a Downstream- or UpstreamTlsContext). */
    public static TransportSocket transportSocket(DownstreamTlsContext tlsContext) {
        return socket(Protos.pack(requireNonNull(tlsContext, "tlsContext")));
    }

    /** {@code envoy.transport_sockets.tls} with an upstream context. */
    public static TransportSocket transportSocket(UpstreamTlsContext tlsContext) {
        return socket(Protos.pack(requireNonNull(tlsContext, "tlsContext")));
    }

    private static TransportSocket socket(com.google.protobuf.Any config) {
        return TransportSocket.newBuilder().setName(TRANSPORT_SOCKET).setTypedConfig(config).build();
    }

    /**
     * A sidecar's server side: {@code requireClientCertificate: true}, its certificate from SDS
     * {@code identitySecret}, and a combined validation context whose default part accepts a client URI SAN with
     * one of {@code uriSanPrefixes} and whose SDS part is {@code caSecret}. No ALPN, no TLS parameters.
     */
    public static DownstreamTlsContext downstreamSds(String identitySecret, String caSecret,
                                                     List<String> uriSanPrefixes) {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
        for (String prefix : requireNonNull(uriSanPrefixes, "uriSanPrefixes")) {
            validation.addMatchTypedSubjectAltNames(uriSan(StringMatcher.newBuilder().setPrefix(prefix).build()));
        }
        return DownstreamTlsContext.newBuilder()
                .setRequireClientCertificate(Protos.bool(true))
                .setCommonTlsContext(sdsCommon(identitySecret, caSecret, validation.build()))
                .build();
    }

    /**
     * A sidecar's client side: {@code sni}, ALPN {@code kuma}, its certificate from SDS {@code identitySecret}, and
     * a combined validation context that requires the server's URI SAN to be exactly {@code uriSan}, with the CA
     * from SDS {@code caSecret}.
     */
    public static UpstreamTlsContext upstreamSds(String sni, String identitySecret, String caSecret, String uriSan) {
        CertificateValidationContext validation = CertificateValidationContext.newBuilder()
                .addMatchTypedSubjectAltNames(uriSan(StringMatcher.newBuilder()
                        .setExact(requireNonNull(uriSan, "uriSan")).build()))
                .build();
        return UpstreamTlsContext.newBuilder()
                .setSni(requireNonNull(sni, "sni"))
                .setCommonTlsContext(sdsCommon(identitySecret, caSecret, validation).toBuilder()
                        .addAlpnProtocols(KUMA_ALPN))
                .build();
    }

    /**
     * A sidecar's client side toward any service of {@code mesh} (Kuma's {@code UnknownDestinationClientSideMTLS},
     * for direct access): no SNI, ALPN {@code kuma}, its certificate from SDS {@code identitySecret}, and the server's
     * URI SAN required to start with {@code spiffe://<mesh>/}, with the CA from SDS {@code caSecret}.
     */
    public static UpstreamTlsContext upstreamSdsAnyServiceOf(String mesh, String identitySecret, String caSecret) {
        CertificateValidationContext validation = CertificateValidationContext.newBuilder()
                .addMatchTypedSubjectAltNames(uriSan(StringMatcher.newBuilder()
                        .setPrefix("spiffe://" + requireNonEmpty(mesh, "mesh") + "/").build()))
                .build();
        return UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(sdsCommon(identitySecret, caSecret, validation).toBuilder()
                        .addAlpnProtocols(KUMA_ALPN))
                .build();
    }

    /**
     * A proxyless gRPC server: {@code requireClientCertificate: true}, its certificate and the CA from the
     * certificate provider {@code instance}. No SAN matcher: grpc-xds rejects {@code match_subject_alt_names} in a
     * downstream context ("match_subject_alt_names only allowed in upstream_tls_context"), so the CA alone decides
     * which clients complete the handshake.
     */
    public static DownstreamTlsContext downstreamCertificateProvider(String instance, String certificateName) {
        return DownstreamTlsContext.newBuilder()
                .setRequireClientCertificate(Protos.bool(true))
                .setCommonTlsContext(providerCommon(instance, certificateName,
                        CertificateValidationContext.newBuilder()))
                .build();
    }

    /**
     * A proxyless gRPC client: its certificate and the CA from the certificate provider {@code instance}, and the
     * server's SAN required to be exactly {@code uriSan}.
     */
    public static UpstreamTlsContext upstreamCertificateProvider(String instance, String certificateName,
                                                                 String uriSan) {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
                .addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(requireNonNull(uriSan, "uriSan")));
        return UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(providerCommon(instance, certificateName, validation))
                .build();
    }

    /**
     * A proxyless gRPC client toward another mesh's cross-mesh gateway: its certificate from the certificate
     * provider {@code identityInstance}, the CA from {@code caInstance} (which holds the other meshes' roots only),
     * and the server's SAN required to be exactly {@code uriSan}.
     */
    public static UpstreamTlsContext upstreamCertificateProviders(String identityInstance, String caInstance,
                                                                  String certificateName, String uriSan) {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
                .addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(requireNonNull(uriSan, "uriSan")))
                .setCaCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                        .setInstanceName(requireNonEmpty(caInstance, "caInstance"))
                        .setCertificateName(requireNonEmpty(certificateName, "certificateName")));
        return UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .setTlsCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                                .setInstanceName(requireNonEmpty(identityInstance, "identityInstance"))
                                .setCertificateName(certificateName))
                        .setValidationContext(validation))
                .build();
    }

    /**
     * TLS to a server outside the mesh, an ExternalService's ({@code kuma-2.0-envoy-config.md} §3.8, Kuma's
     * {@code UpstreamTlsContextOutsideMesh}): {@code sni} when not empty, {@code allowRenegotiation}, the client
     * certificate inline when both {@code clientCertPem} and {@code clientKeyPem} are given, and, when
     * {@code caPem} is given, a validation context that trusts those CAs only and requires the server's SAN to be
     * {@code hostname} or {@code sni}. Without a CA the server's certificate is not verified (as in Kuma).
     */
    @SuppressWarnings("deprecation") // match_subject_alt_names: what Kuma 2.0 writes (any SAN type matches)
    public static UpstreamTlsContext upstreamOutsideMesh(Optional<ByteString> caPem, Optional<ByteString> clientCertPem,
                                                         Optional<ByteString> clientKeyPem, boolean allowRenegotiation,
                                                         String hostname, String sni) {
        requireNonNull(hostname, "hostname");
        requireNonNull(sni, "sni");
        UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder()
                .setAllowRenegotiation(allowRenegotiation)
                .setSni(sni);
        if (clientCertPem.isPresent() && clientKeyPem.isPresent()) {
            context.getCommonTlsContextBuilder().addTlsCertificates(TlsCertificate.newBuilder()
                    .setCertificateChain(DataSource.newBuilder().setInlineBytes(clientCertPem.get()))
                    .setPrivateKey(DataSource.newBuilder().setInlineBytes(clientKeyPem.get())));
        }
        if (caPem.isPresent()) {
            CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
                    .setTrustedCa(DataSource.newBuilder().setInlineBytes(caPem.get()))
                    .addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(hostname));
            if (!sni.isEmpty() && !sni.equals(hostname)) {
                validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(sni));
            }
            context.getCommonTlsContextBuilder().setValidationContext(validation);
        }
        return context.build();
    }

    private static CommonTlsContext sdsCommon(String identitySecret, String caSecret,
                                              CertificateValidationContext defaults) {
        return CommonTlsContext.newBuilder()
                .addTlsCertificateSdsSecretConfigs(sds(identitySecret))
                .setCombinedValidationContext(CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(defaults)
                        .setValidationContextSdsSecretConfig(sds(caSecret)))
                .build();
    }

    private static CommonTlsContext providerCommon(String instance, String certificateName,
                                                   CertificateValidationContext.Builder validation) {
        CertificateProviderPluginInstance provider = CertificateProviderPluginInstance.newBuilder()
                .setInstanceName(requireNonEmpty(instance, "instance"))
                .setCertificateName(requireNonEmpty(certificateName, "certificateName"))
                .build();
        return CommonTlsContext.newBuilder()
                .setTlsCertificateProviderInstance(provider)
                .setValidationContext(validation.setCaCertificateProviderInstance(provider))
                .build();
    }

    private static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(requireNonEmpty(name, "secret name")).setSdsConfig(ADS).build();
    }

    private static SubjectAltNameMatcher uriSan(StringMatcher matcher) {
        return SubjectAltNameMatcher.newBuilder()
                .setSanType(SubjectAltNameMatcher.SanType.URI)
                .setMatcher(matcher)
                .build();
    }

    private static String requireNonEmpty(String value, String what) {
        requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + ": \"\" (expected: a non-empty name)");
        }
        return value;
    }
}
