package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.BuiltinCaPlugin;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.ca.MeshCa;
import io.ursa.ca.MeshCertificateAuthorities;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.SecretAccess;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a proxy keeps its certificate and when it gets a new one (spec §13.3). */
class ProxyCertificatesTest {
    private static final ProxyKey WEB = new ProxyKey("payments", "web-1");
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final ProxyCertificates certificates = new ProxyCertificates(
            new DataplaneCertificateIssuer(clock, new SecureRandom()), DataplaneCertificateIssuer.KeyType.ECDSA_P256,
            clock);

    @Test
    void keepsACertificateUntilFourFifthsOfItsLifeHavePassed() throws Exception {
        MeshCa ca = ca("payments", "ca-1", "10h");
        DataplaneSpec web = dataplane("web", "v1");
        ProxyCertificates.Issued first = certificates.identity(WEB, ca, web);

        clock.advance(Duration.ofHours(8).minusSeconds(1));
        assertThat(certificates.identity(WEB, ca, web)).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        ProxyCertificates.Issued renewed = certificates.identity(WEB, ca, web);
        assertThat(renewed.identity().certificatePem()).isNotEqualTo(first.identity().certificatePem());
        assertThat(renewed.version()).isNotEqualTo(first.version());
        assertThat(renewed.renewAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
        assertThat(certificates.status(WEB).orElseThrow().certificateRegenerations()).isEqualTo(2);
    }

    @Test
    void issuesANewCertificateWhenTheProxysTagsOrItsCaChange() throws Exception {
        MeshCa ca = ca("payments", "ca-1", "24h");
        ProxyCertificates.Issued first = certificates.identity(WEB, ca, dataplane("web", "v1"));

        ProxyCertificates.Issued retagged = certificates.identity(WEB, ca, dataplane("web", "v2"));
        ProxyCertificates.Issued newCa = certificates.identity(WEB, ca("payments", "ca-2", "24h"),
                dataplane("web", "v2"));

        assertThat(retagged.identity().certificatePem()).isNotEqualTo(first.identity().certificatePem());
        assertThat(newCa.identity().caFingerprint()).isNotEqualTo(retagged.identity().caFingerprint());
        assertThat(certificates.status(WEB).orElseThrow().issuedBackend()).isEqualTo("ca-2");
    }

    @Test
    void forgetsTheCertificateOfAProxyThatLeft() throws Exception {
        MeshCa ca = ca("payments", "ca-1", "24h");
        ProxyCertificates.Issued first = certificates.identity(WEB, ca, dataplane("web", "v1"));

        certificates.forget(WEB);

        assertThat(certificates.status(WEB)).isEmpty();
        assertThat(certificates.identity(WEB, ca, dataplane("web", "v1")).identity().certificatePem())
                .isNotEqualTo(first.identity().certificatePem());
    }

    @Test
    void renewsAfterFourFifthsOfTheLifetimeAsKumaDoes() {
        assertThat(ProxyCertificates.renewAfter(Duration.ofHours(24))).isEqualTo(Duration.ofHours(19).plusMinutes(12));
        assertThat(ProxyCertificates.renewAfter(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void refusesAProxyWithoutAService() throws Exception {
        DataplaneSpec gatewayless = decodeDataplane("""
                type: Dataplane
                mesh: payments
                name: web-1
                networking:
                  address: 10.0.0.1
                  inbound:
                  - port: 8080
                    tags:
                      version: v1
                """);
        assertThatThrownBy(() -> certificates.identity(WEB, ca("payments", "ca-1", "24h"), gatewayless))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no kuma.io/service tag");
    }

    private MeshCa ca(String mesh, String backend, String lifetime) throws Exception {
        Map<String, byte[]> store = new HashMap<>();
        SecretAccess secrets = new SecretAccess() {
            @Override
            public Optional<byte[]> read(String m, String name) {
                return Optional.ofNullable(store.get(m + "/" + name));
            }

            @Override
            public boolean createIfAbsent(String m, String name, byte[] data) {
                return store.putIfAbsent(m + "/" + name, data) == null;
            }
        };
        new BuiltinCaPlugin(clock).ensure(new CaBackendContext(mesh, backend, "builtin",
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(), secrets));
        Resource<?> resource = CODEC.decode(CODEC.parseYamlDocuments("""
                type: Mesh
                name: %s
                mtls:
                  enabledBackend: %s
                  backends:
                  - name: %s
                    type: builtin
                    dpCert:
                      rotation:
                        expiration: %s
                """.formatted(mesh, backend, backend, lifetime)).get(0));
        return new MeshCertificateAuthorities(CaPlugins.standard(), secrets)
                .enabled(mesh, (MeshSpec) resource.spec()).orElseThrow();
    }

    private static DataplaneSpec dataplane(String service, String version) {
        return decodeDataplane("""
                type: Dataplane
                mesh: payments
                name: web-1
                networking:
                  address: 10.0.0.1
                  inbound:
                  - port: 8080
                    tags:
                      kuma.io/service: %s
                      version: %s
                """.formatted(service, version));
    }

    private static DataplaneSpec decodeDataplane(String yaml) {
        return (DataplaneSpec) CODEC.decode(CODEC.parseYamlDocuments(yaml).get(0)).spec();
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
