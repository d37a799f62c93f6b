package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyIdentity;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SDS secrets of a proxy in an mTLS mesh (envoy-config §7). */
class SecretsGeneratorTest {
    /** A mesh with mTLS on (the provided test CA) and its proxy web-1. */
    private static final String STRICT = SharingFixtures.MTLS_MESH + """
            ---
            type: Dataplane
            mesh: default
            name: web-1
            networking:
              address: 192.168.0.1
              inbound:
              - port: 80
                tags: {kuma.io/service: web}
            """;

    private final SecretsGenerator generator = new SecretsGenerator();

    @Test
    void emitsTheProxysIdentityAndTheMeshCaInline() {
        ProxyContext proxy = XdsFixtures.firstProxy(STRICT, "mtls-strict");

        ResourceSet secrets = generator.generate(proxy);

        StrictEnvoyProtos.check(secrets);
        assertThat(secrets.types()).containsExactly(EnvoyType.SECRET);
        Secret identity = secrets.get(Secret.class, "identity_cert:secret:default").orElseThrow();
        assertThat(identity.getTlsCertificate().getCertificateChain().getInlineBytes().toString(StandardCharsets.UTF_8))
                .isEqualTo(proxy.identity().orElseThrow().certificatePem());
        assertThat(identity.getTlsCertificate().getPrivateKey().getInlineBytes().toString(StandardCharsets.UTF_8))
                .startsWith("-----BEGIN PRIVATE KEY-----")
                .isEqualTo(proxy.identity().orElseThrow().privateKeyPem());
        Secret ca = secrets.get(Secret.class, "mesh_ca:secret:default").orElseThrow();
        assertThat(ca.getValidationContext().getTrustedCa().getInlineBytes().toString(StandardCharsets.UTF_8))
                .isEqualTo(proxy.mtls().orElseThrow().ca().orElseThrow().trustedRootsPem())
                .startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void theProxiesOfAMeshContextShareOneCaSecretAndEachHasItsOwnIdentity() {
        ProxyContext first = XdsFixtures.firstProxy(STRICT + """
                ---
                type: Dataplane
                mesh: default
                name: web-2
                networking:
                  address: 192.168.0.2
                  inbound:
                  - port: 80
                    tags: {kuma.io/service: web}
                """, "mtls-strict");
        ProxyIdentity own = first.identity().orElseThrow();
        ProxyContext second = first.mesh().proxy("web-2").orElseThrow().withIdentity(new ProxyIdentity(
                own.certificatePem().replace("BEGIN CERTIFICATE", "BEGIN CERTIFICATE "), own.privateKeyPem(),
                own.caFingerprint(), own.issuedAt(), own.notAfter()));

        ResourceSet one = generator.generate(first);
        ResourceSet two = generator.generate(second);

        assertThat(two.get(Secret.class, "mesh_ca:secret:default").orElseThrow())
                .isSameAs(one.get(Secret.class, "mesh_ca:secret:default").orElseThrow());
        assertThat(two.get(Secret.class, "identity_cert:secret:default").orElseThrow())
                .isNotEqualTo(one.get(Secret.class, "identity_cert:secret:default").orElseThrow());
    }

    @Test
    void proxylessProxiesGetTheSameSecretsForTheirCertificateAgent() {
        ProxyContext proxy = XdsFixtures.firstProxy(STRICT, "mtls-strict").withMetadata(ProxyMetadata.grpc());

        assertThat(Profiles.grpc().generate(proxy).byName(EnvoyType.SECRET).keySet())
                .containsExactly("identity_cert:secret:default", "mesh_ca:secret:default");
    }

    @Test
    void emitsNothingWithMtlsOff() {
        assertThat(generator.generate(XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("inbound/http.input.yaml")))
                .isEmpty()).isTrue();
    }

    @Test
    void failsClearlyWhenMtlsIsOnButTheProxyHasNoIdentity() {
        ProxyContext withIdentity = XdsFixtures.firstProxy(STRICT, "mtls-strict");
        ProxyContext proxy = new ProxyContext(withIdentity.dataplane(), withIdentity.mesh(), withIdentity.metadata());

        assertThatThrownBy(() -> generator.generate(proxy)).isInstanceOf(IllegalStateException.class)
                .hasMessage("mesh default has mTLS on (backend ca-1) but Dataplane web-1 has no identity certificate"
                        + " (expected: one issued by the mesh's CA before generation)");
        assertThatThrownBy(() -> Profiles.envoy().generate(proxy)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("generator SecretsGenerator failed for Dataplane")
                .hasMessageContaining("has no identity certificate");
    }

    @Test
    void failsWithTheReasonWhenTheMeshCaCannotBeUsed() {
        ProxyContext proxy = XdsFixtures.firstProxy("""
                type: Mesh
                name: default
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - {name: ca-1, type: builtin}
                ---
                type: Dataplane
                mesh: default
                name: web-1
                networking:
                  address: 192.168.0.1
                  inbound:
                  - port: 80
                    tags: {kuma.io/service: web}
                """, "builtin CA without its Secrets");

        assertThat(proxy.identity()).isEmpty();
        assertThatThrownBy(() -> generator.generate(proxy)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("mesh default has mTLS on (backend ca-1) but its CA cannot be used: ")
                .hasMessageContaining("has no Secret default.ca-builtin-cert-ca-1");
    }
}
