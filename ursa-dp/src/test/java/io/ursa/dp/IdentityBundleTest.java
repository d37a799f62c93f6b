package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.ursa.ca.DataplaneCertificateIssuer;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What makes a Secret response unusable; each reason is the NACK's error_detail. */
class IdentityBundleTest {
    private static final String IDENTITY = "identity_cert:secret:demo";
    private static final String MESH_CA = "mesh_ca:secret:demo";
    private static final String CROSS_MESH_CA = "cross_mesh_ca:secret:demo";
    private static final TestCertificates CA = TestCertificates.newCa("demo");
    private static final DataplaneCertificateIssuer.Issued ISSUED = CA.issue("web");

    @Test
    void takesTheCertificateKeyAndCaFromTheTwoSecrets() throws Exception {
        IdentityBundle bundle = IdentityBundle.from(response(identity(ISSUED.privateKeyPem()), caSecret()),
                IDENTITY, MESH_CA);

        assertThat(bundle).isEqualTo(new IdentityBundle(ISSUED.certificatePem(), ISSUED.privateKeyPem(), CA.caPem));
        assertThat(bundle.describe()).startsWith("serial " + bundle.certificate().getSerialNumber().toString(16)
                + ", valid until " + ISSUED.notAfter().truncatedTo(ChronoUnit.SECONDS) + ", SANs spiffe://demo/web");
    }

    @Test
    void needsBothSecrets() {
        assertThatThrownBy(() -> IdentityBundle.from(response(identity(ISSUED.privateKeyPem())), IDENTITY, MESH_CA))
                .hasMessage("the response has no Secret mesh_ca:secret:demo (it has: identity_cert:secret:demo)");
        assertThatThrownBy(() -> IdentityBundle.from(response(), IDENTITY, MESH_CA))
                .hasMessage("the response has no Secret identity_cert:secret:demo (it has: none)");
        assertThatThrownBy(() -> IdentityBundle.from(response(identity(ISSUED.privateKeyPem()),
                Secret.newBuilder().setName(MESH_CA).build()), IDENTITY, MESH_CA))
                .hasMessage("Secret mesh_ca:secret:demo has no validation_context.trusted_ca");
    }

    @Test
    void needsInlinePemThatParses() {
        Secret byFile = Secret.newBuilder().setName(IDENTITY).setTlsCertificate(TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setFilename("/etc/cp/cert.pem"))
                .setPrivateKey(DataSource.newBuilder().setInlineString(ISSUED.privateKeyPem()))).build();
        assertThatThrownBy(() -> IdentityBundle.from(response(byFile, caSecret()), IDENTITY, MESH_CA))
                .hasMessage("identity_cert:secret:demo certificate_chain names a file (/etc/cp/cert.pem), which is on"
                        + " the control plane's machine (expected: inline_bytes)");
        Secret garbage = SecretsControlPlane.ca(MESH_CA, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> IdentityBundle.from(response(identity(ISSUED.privateKeyPem()), garbage), IDENTITY,
                MESH_CA))
                .hasMessageStartingWith("mesh_ca:secret:demo trusted_ca is not a PEM certificate");
    }

    @Test
    void takesTheCrossMeshRootsWhenTheResponseHasThemAndNoneWhenItDoesNot() throws Exception {
        TestCertificates other = TestCertificates.newCa("other");
        Secret roots = SecretsControlPlane.ca(CROSS_MESH_CA, other.caPem);

        IdentityBundle bundle = IdentityBundle.from(response(identity(ISSUED.privateKeyPem()), caSecret(), roots),
                IDENTITY, MESH_CA, Optional.of(CROSS_MESH_CA));
        IdentityBundle without = IdentityBundle.from(response(identity(ISSUED.privateKeyPem()), caSecret()),
                IDENTITY, MESH_CA, Optional.of(CROSS_MESH_CA));

        assertThat(bundle.crossMeshCaPem()).isEqualTo(other.caPem);
        assertThat(bundle.caPem()).as("the mesh's own trust is unchanged").isEqualTo(CA.caPem);
        assertThat(without.crossMeshCaPem()).isEmpty();
        Secret garbage = SecretsControlPlane.ca(CROSS_MESH_CA, "-----BEGIN CERTIFICATE-----\nAAAA\n"
                + "-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> IdentityBundle.from(response(identity(ISSUED.privateKeyPem()), caSecret(), garbage),
                IDENTITY, MESH_CA, Optional.of(CROSS_MESH_CA)))
                .hasMessageStartingWith("cross_mesh_ca:secret:demo trusted_ca is not a PEM certificate");
    }

    private static Secret identity(String keyPem) {
        return SecretsControlPlane.identity(IDENTITY, ISSUED.certificatePem(), keyPem);
    }

    private static Secret caSecret() {
        return SecretsControlPlane.ca(MESH_CA, CA.caPem);
    }

    private static DiscoveryResponse response(Secret... secrets) {
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setVersionInfo("1")
                .setTypeUrl(CertificateAgent.SECRET_TYPE_URL).setNonce("n");
        for (Secret secret : secrets) {
            response.addResources(Any.pack(secret));
        }
        return response.build();
    }
}
