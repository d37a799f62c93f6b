package io.ursa.xds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway side of cross-mesh: the cross-mesh listener trusts every mTLS mesh, with RBAC by caller mesh. */
class CrossMeshListenerTest {
    private final ProxyContext proxy = GatewayGeneratorTest.proxy("cross-mesh");
    private final ResourceSet resources = Profiles.gateway().generate(proxy);

    @Test
    void crossMeshListenerTerminatesMeshMtlsFromEveryMeshWithoutSanMatch() throws Exception {
        StrictEnvoyProtos.check(resources);
        Listener listener = resources.get(Listener.class, "edge:HTTP:8080").orElseThrow();
        assertThat(listener.getFilterChainsList()).hasSize(1);
        FilterChain chain = listener.getFilterChains(0);
        assertThat(chain.getFilterChainMatch().getApplicationProtocolsList())
                .as("sidecars of other meshes offer kuma, proxyless gRPC callers h2").containsExactly("kuma", "h2");
        assertThat(chain.getFilterChainMatch().getTransportProtocol()).isEqualTo("tls");
        DownstreamTlsContext tls = GatewayGeneratorTest.tls(chain);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        var common = tls.getCommonTlsContext();
        assertThat(common.getAlpnProtocolsList()).as("gRPC needs h2 selected").containsExactly("h2", "http/1.1");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("identity_cert:secret:default");
        assertThat(common.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName())
                .isEqualTo("mesh_ca:secret:all");
        assertThat(common.getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNamesList()).isEmpty();
        assertThat(listener.getListenerFilters(0).getName()).isEqualTo("envoy.filters.listener.tls_inspector");
    }

    @Test
    void otherListenersOfTheGatewayDoNotTrustOtherMeshes() {
        Listener plain = resources.get(Listener.class, "edge:HTTP:8081").orElseThrow();
        assertThat(plain.getFilterChainsList()).hasSize(1);
        assertThat(plain.getFilterChains(0).hasTransportSocket()).isFalse();
        assertThat(plain.getFilterChains(0).getFilterChainMatch().getApplicationProtocolsList()).isEmpty();
        assertThat(StrictEnvoyProtos.sdsSecretsIn(plain)).doesNotContain("mesh_ca:secret:all");
    }

    @Test
    void allMeshesSecretHoldsTheRootsOfEveryMtlsMeshAndOnlyThose() {
        Secret all = resources.get(Secret.class, "mesh_ca:secret:all").orElseThrow();
        String roots = all.getValidationContext().getTrustedCa().getInlineBytes().toString(StandardCharsets.UTF_8);
        String defaultRoot = XdsFixtures.read(XdsFixtures.MTLS.resolve("ca.pem")).strip();
        String otherRoot = XdsFixtures.read(XdsFixtures.TESTDATA.resolve("gateway/other-ca.pem")).strip();
        assertThat(roots).contains(defaultRoot).contains(otherRoot);
        assertThat(roots.split("-----BEGIN CERTIFICATE-----", -1)).hasSize(3); // mesh plain has no mTLS, no root
    }

    @Test
    void sidecarsAndGatewaysWithoutCrossMeshListenerGetNoAllMeshesSecret() {
        assertThat(Profiles.gateway().generate(GatewayGeneratorTest.proxy("full"))
                .get(Secret.class, "mesh_ca:secret:all")).isEmpty();
        ProxyContext sidecar = proxy.mesh().proxy("web-1").orElseThrow().withIdentity(proxy.identity().orElseThrow());
        assertThat(Profiles.envoy().generate(sidecar).get(Secret.class, "mesh_ca:secret:all")).isEmpty();
    }

    @Test
    void rbacLetsInCallersByTheirMeshAsTrafficPermissionSays() throws Exception {
        FilterChain chain = resources.get(Listener.class, "edge:HTTP:8080").orElseThrow().getFilterChains(0);
        assertThat(chain.getFilters(0).getName()).isEqualTo("envoy.filters.network.rbac");
        RBAC rules = chain.getFilters(0).getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class).getRules();
        List<Principal> principals = rules.getPoliciesOrThrow("allow-other-frontend").getPrincipalsList();
        assertThat(principals).extracting(p -> p.getAuthenticated().getPrincipalName().getExact())
                .containsExactly("spiffe://other/frontend", "kuma://version/v2");
    }

    @Test
    void crossMeshListenerInAMeshWithoutMtlsIsLeftOutAndSaysWhy() {
        String yaml = XdsFixtures.read(XdsFixtures.TESTDATA.resolve("gateway/cross-mesh.input.yaml"))
                .replaceFirst("(?s)mtls:\n  enabledBackend: ca-1.*?---", "---");
        ProxyContext withoutMtls = XdsFixtures.firstProxy(yaml, "cross-mesh without mTLS");

        ResourceSet generated = Profiles.gateway().generate(withoutMtls);

        assertThat(generated.get(Listener.class, "edge:HTTP:8080")).isEmpty();
        assertThat(generated.get(Listener.class, "edge:HTTP:8081")).isPresent();
        assertThat(GatewayGenerator.problems(withoutMtls))
                .containsExactly("listener edge:HTTP:8080: mTLS must be enabled for crossMesh-enabled MeshGateways");
    }
}
