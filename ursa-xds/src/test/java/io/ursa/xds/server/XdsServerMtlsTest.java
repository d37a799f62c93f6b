package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.BuiltinCaPlugin;
import io.ursa.ca.ProxyKeyPool;
import io.ursa.core.manager.ResourceManager;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy identities on the wire: with mTLS on, each proxy gets its own certificate from its mesh's CA over SDS,
 * renewed at 4/5 of its life; a CA that cannot be used is reported instead of serving a broken configuration.
 */
class XdsServerMtlsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Generous: a renewal due after 4 seconds may come late on a loaded machine, but it must come. */
    private static final Duration RENEWAL_WAIT = Duration.ofSeconds(60);
    private static final String SDS = EnvoyType.SECRET.typeUrl();
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();

    private MtlsXdsServer mtls;
    private ResourceManager manager;
    private XdsServer server;

    @BeforeEach
    void start() throws Exception {
        mtls = MtlsXdsServer.start();
        manager = mtls.manager();
        server = mtls.server();
    }

    @AfterEach
    void stop() {
        mtls.close();
    }

    @Test
    void givesEachProxyItsOwnCertificateFromItsMeshCa() throws Exception {
        apply(builtinMesh("payments", "24h"));
        AdsTestClient web = connect("payments.web-1", dataplane("payments", "web-1", "web"), Map.of());
        AdsTestClient other = connect("payments.web-2", dataplane("payments", "web-2", "web"), Map.of());

        Map<String, Secret> webSecrets = secrets(web, "payments");
        Map<String, Secret> otherSecrets = secrets(other, "payments");

        X509Certificate certificate = certificate(webSecrets.get(EnvoyNames.identityCertSecret("payments"))
                .getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8());
        X509Certificate root = certificate(new String(manager.get(ResourceTypes.SECRET, "payments",
                BuiltinCaPlugin.certSecretName("payments", "ca-1")).orElseThrow().spec().bytes(),
                StandardCharsets.UTF_8));
        certificate.verify(root.getPublicKey());
        assertThat(uris(certificate)).containsExactly("spiffe://payments/web", "kuma://kuma.io/protocol/http",
                "kuma://kuma.io/service/web");
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(24).plusSeconds(10));
        assertThat(webSecrets.get(EnvoyNames.meshCaSecret("payments")).getValidationContext().getTrustedCa()
                .getInlineBytes().toStringUtf8()).isEqualTo(pem(root));
        String otherKey = otherSecrets.get(EnvoyNames.identityCertSecret("payments")).getTlsCertificate()
                .getPrivateKey().getInlineBytes().toStringUtf8();
        assertThat(webSecrets.get(EnvoyNames.identityCertSecret("payments")).getTlsCertificate().getPrivateKey()
                .getInlineBytes().toStringUtf8()).startsWith("-----BEGIN PRIVATE KEY-----").isNotEqualTo(otherKey);

        JsonNode insight = server.insightOf("payments", "web-1").orElseThrow();
        assertThat(insight.at("/mTLS/issuedBackend").asText()).isEqualTo("ca-1");
        assertThat(insight.at("/mTLS/certificateRegenerations").asLong()).isEqualTo(1);
        assertThat(insight.at("/mTLS/certificateExpirationTime").asText())
                .isEqualTo(certificate.getNotAfter().toInstant().toString());
    }

    @Test
    void generatesKeysAheadForTheProxiesOfMeshesWithACaAndIssuesTheirCertificatesWithThem() throws Exception {
        // payments has a CA but mTLS is not on yet; plain has no CA: only payments's proxies may need certificates.
        apply(builtinMesh("payments", "24h").replace("enabledBackend: ca-1", "enabledBackend: \"\""));
        apply("type: Mesh\nname: plain\n");
        List<AdsTestClient> payments = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            payments.add(connect("payments.web-" + i, dataplane("payments", "web-" + i, "web"), Map.of()));
        }
        AdsTestClient plain = connect("plain.web-1", dataplane("plain", "web-1", "web"), Map.of());
        for (AdsTestClient proxy : payments) {
            proxy.subscribe(CDS, List.of());
            proxy.next(CDS, WAIT);
        }
        plain.subscribe(CDS, List.of());
        plain.next(CDS, WAIT);

        await().atMost(WAIT).untilAsserted(() -> assertThat(server.proxyKeys())
                .as("one key ready for each connected proxy of payments").returns(3, ProxyKeyPool.Stats::wanted)
                .returns(3, ProxyKeyPool.Stats::ready));

        apply(builtinMesh("payments", "24h"));
        List<String> publicKeys = new ArrayList<>();
        for (AdsTestClient proxy : payments) {
            publicKeys.add(java.util.HexFormat.of().formatHex(identity(proxy, "payments").getPublicKey()
                    .getEncoded()));
        }

        assertThat(publicKeys).as("each proxy has its own key").doesNotHaveDuplicates();
        ProxyKeyPool.Stats stats = server.proxyKeys();
        assertThat(stats.takenReady()).as("keys taken ready").isEqualTo(3);
        assertThat(stats.takenGenerated()).as("keys generated while issuing").isZero();
        assertThat(stats.wanted()).as("their renewals may still come together").isEqualTo(3);
    }

    @Test
    void renewsACertificateByItselfOnceFourFifthsOfItsLifeHavePassed() throws Exception {
        Duration lifetime = Duration.ofSeconds(5);
        apply(builtinMesh("payments", lifetime.toSeconds() + "s"));
        AdsTestClient web = connect("payments.web-1", dataplane("payments", "web-1", "web"), Map.of());
        List<String> names = List.of(EnvoyNames.identityCertSecret("payments"), EnvoyNames.meshCaSecret("payments"));
        web.subscribe(SDS, names);
        DiscoveryResponse first = web.next(SDS, WAIT);
        web.ack(first, names);

        // Nothing else happens in the mesh and no resync comes: only the renewal timer can send a new one.
        DiscoveryResponse renewed = web.next(SDS, RENEWAL_WAIT);

        X509Certificate old = identity(first);
        X509Certificate fresh = identity(renewed);
        assertThat(renewed.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
        assertThat(fresh.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        // When each was issued, by the control plane's clock, read from the certificates themselves.
        Instant renewalPoint = issuedAt(old, lifetime).plus(lifetime.multipliedBy(4).dividedBy(5));
        assertThat(issuedAt(fresh, lifetime)).as("renewed at 4/5 of the first certificate's life, not before")
                .isAfterOrEqualTo(renewalPoint);
        assertThat(validity(fresh)).as("the new certificate is valid as long as the first").isEqualTo(validity(old));
        assertThat(fresh.getNotAfter()).as("and ends later").isAfter(old.getNotAfter());
        await().atMost(WAIT).until(() -> server.insightOf("payments", "web-1").orElseThrow()
                .at("/mTLS/certificateRegenerations").asLong() >= 2);
    }

    @Test
    void servesTheCertificateAgentOfAProxylessApplicationTheSameIdentity() throws Exception {
        apply(builtinMesh("payments", "24h"));
        AdsTestClient agent = connect("payments.api-1", dataplane("payments", "api-1", "api"),
                Map.of(GrpcBootstrap.PROXYLESS_KIND_METADATA_KEY, GrpcBootstrap.PROXYLESS_KIND_GRPC));

        Map<String, Secret> secrets = secrets(agent, "payments");

        assertThat(uris(certificate(secrets.get(EnvoyNames.identityCertSecret("payments")).getTlsCertificate()
                .getCertificateChain().getInlineBytes().toStringUtf8()))).contains("spiffe://payments/api");
        JsonNode insight = server.insightOf("payments", "api-1").orElseThrow();
        assertThat(insight.at("/mTLS/issuedBackend").asText()).isEqualTo("ca-1");
    }

    @Test
    void turningMtlsOnForAManyProxyMeshIssuesOneCertificatePerProxyInParallel() throws Exception {
        apply("type: Mesh\nname: big\n");
        int proxies = Reconciler.PARALLEL_THRESHOLD + 6;
        List<AdsTestClient> fleet = new ArrayList<>();
        for (int i = 0; i < proxies; i++) {
            AdsTestClient proxy = connect("big.web-" + i, dataplane("big", "web-" + i, "web"), Map.of());
            proxy.subscribe(CDS, List.of());
            fleet.add(proxy);
        }
        AdsTestClient agent = connect("big.web-0", dataplane("big", "web-0", "web"),
                Map.of(GrpcBootstrap.PROXYLESS_KIND_METADATA_KEY, GrpcBootstrap.PROXYLESS_KIND_GRPC));
        agent.subscribe(CDS, List.of());
        await().atMost(WAIT).until(() -> server.connectedProxies() == proxies + 1);

        apply(builtinMesh("big", "24h")); // one pass regenerates every proxy: more than the parallel threshold

        X509Certificate application = identity(fleet.get(0), "big");
        X509Certificate fromAgent = identity(agent, "big");
        X509Certificate other = identity(fleet.get(proxies - 1), "big");
        assertThat(fromAgent.getSerialNumber()).isEqualTo(application.getSerialNumber());
        assertThat(other.getSerialNumber()).isNotEqualTo(application.getSerialNumber());
        for (int i = 0; i < proxies; i++) {
            String name = "web-" + i;
            await().atMost(WAIT).until(() -> server.insightOf("big", name).orElseThrow()
                    .at("/mTLS/certificateRegenerations").asLong() > 0);
            assertThat(server.insightOf("big", name).orElseThrow().at("/mTLS/certificateRegenerations").asLong())
                    .as(name).isEqualTo(1);
        }
    }

    @Test
    void aPermissiveMeshSendsMtlsToAServiceOnceEveryInstanceHasConfirmedItsCertificate() throws Exception {
        apply(builtinMesh("payments", "24h").replace("type: builtin", "type: builtin\n    mode: PERMISSIVE"));
        AdsTestClient web = connect("payments.web-1", callerOf("payments", "web-1", "backend"), Map.of());
        web.subscribe(CDS, List.of());
        web.ack(web.next(CDS, WAIT), List.of());
        assertThat(servedTls("web-1", "backend")).as("no backend instance yet: plaintext").isFalse();

        AdsTestClient backend = connect("payments.backend-1", dataplane("payments", "backend-1", "backend"),
                Map.of());
        List<String> names = List.of(EnvoyNames.identityCertSecret("payments"),
                EnvoyNames.meshCaSecret("payments"));
        backend.subscribe(SDS, names);
        DiscoveryResponse secrets = backend.next(SDS, WAIT);
        await().atMost(WAIT).until(() -> server.insightOf("payments", "backend-1").orElseThrow()
                .at("/mTLS/issuedBackend").asText().equals("ca-1"));
        assertThat(server.insightOf("payments", "backend-1").orElseThrow().at("/mTLS/tlsReady").asBoolean())
                .as("sent, not yet confirmed").isFalse();
        assertThat(servedTls("web-1", "backend")).as("its instance has not confirmed its certificate").isFalse();
        assertThat(outboundItem("web-1").path("mtls").asBoolean()).isFalse();

        backend.ack(secrets, names);

        await().atMost(WAIT).until(() -> servedTls("web-1", "backend"));
        assertThat(server.insightOf("payments", "backend-1").orElseThrow().at("/mTLS/tlsReady").asBoolean())
                .isTrue();
        assertThat(outboundItem("web-1").path("mtls").asBoolean()).isTrue();

        // A second instance that has not confirmed its certificate makes the service plaintext again.
        AdsTestClient second = connect("payments.backend-2", dataplane("payments", "backend-2", "backend")
                .replace("10.0.0.1", "10.0.0.2"), Map.of());
        second.subscribe(CDS, List.of());
        await().atMost(WAIT).until(() -> !servedTls("web-1", "backend"));
        // And one that leaves takes its readiness with it.
        backend.close();
        second.close();
        await().atMost(WAIT).until(() -> !server.insightOf("payments", "backend-1").orElseThrow()
                .at("/mTLS/tlsReady").asBoolean());
    }

    /** Whether the cluster {@code cluster} served to Dataplane {@code payments/name} has a transport socket. */
    private boolean servedTls(String name, String cluster) {
        JsonNode config = server.servedConfig("payments", name).orElseThrow();
        for (JsonNode resource : config.path("resources")) {
            if (resource.path("type").asText().equals(CDS) && resource.path("name").asText().equals(cluster)) {
                return resource.path("resource").has("transportSocket");
            }
        }
        throw new AssertionError("no cluster " + cluster + " served to " + name + ": " + config);
    }

    /** The inspection item of the Dataplane's one outbound. */
    private JsonNode outboundItem(String name) {
        for (JsonNode item : server.matchedPolicies("payments", name).orElseThrow().path("items")) {
            if (item.path("type").asText().equals("outbound")) {
                return item;
            }
        }
        throw new AssertionError("no outbound item for " + name);
    }

    private static String callerOf(String mesh, String name, String service) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"" + mesh + "\",\"name\":\"" + name + "\",\"networking\":"
                + "{\"address\":\"10.0.0.9\",\"inbound\":[{\"port\":8080,\"tags\":{\"kuma.io/service\":\"web\"}}],"
                + "\"outbound\":[{\"port\":10001,\"tags\":{\"kuma.io/service\":\"" + service + "\"}}]}}";
    }

    @Test
    void reportsACaThatCannotBeUsedAndServesNoConfiguration(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca.key");
        apply(builtinMesh("source", "24h"));
        Files.write(cert, manager.get(ResourceTypes.SECRET, "source", BuiltinCaPlugin.certSecretName("source",
                "ca-1")).orElseThrow().spec().bytes());
        Files.write(key, manager.get(ResourceTypes.SECRET, "source", BuiltinCaPlugin.keySecretName("source",
                "ca-1")).orElseThrow().spec().bytes());
        apply("""
                type: Mesh
                name: files
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: provided
                    conf:
                      cert:
                        file: %s
                      key:
                        file: %s
                """.formatted(cert, key));
        Files.delete(cert);

        AdsTestClient web = connect("files.web-1", dataplane("files", "web-1", "web"), Map.of());
        web.subscribe(CDS, List.of());

        await().atMost(WAIT).until(() -> server.insightOf("files", "web-1")
                .map(i -> i.at("/subscriptions/0/generationError").asText()).orElse("")
                .contains("mTLS is on in mesh files but its CA cannot be used"));
        assertThat(server.insightOf("files", "web-1").orElseThrow().at("/subscriptions/0/generationError").asText())
                .contains("could not load data: open " + cert + ": no such file or directory");
        assertThat(server.servedConfig("files", "web-1")).isEmpty();
    }

    private Map<String, Secret> secrets(AdsTestClient client, String mesh) throws Exception {
        List<String> names = List.of(EnvoyNames.identityCertSecret(mesh), EnvoyNames.meshCaSecret(mesh));
        client.subscribe(SDS, names);
        DiscoveryResponse response = client.next(SDS, WAIT);
        client.ack(response, names);
        Map<String, Secret> secrets = new HashMap<>();
        for (var any : response.getResourcesList()) {
            Secret secret = any.unpack(Secret.class);
            secrets.put(secret.getName(), secret);
        }
        assertThat(secrets).containsOnlyKeys(names);
        return secrets;
    }

    /** The identity the client is served once there is one (answers before the pass that issues it are empty). */
    private static X509Certificate identity(AdsTestClient client, String mesh) throws Exception {
        List<String> names = List.of(EnvoyNames.identityCertSecret(mesh), EnvoyNames.meshCaSecret(mesh));
        client.subscribe(SDS, names);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            DiscoveryResponse response = client.next(SDS, WAIT);
            client.ack(response, names);
            if (response.getResourcesCount() == names.size()) {
                return identity(response);
            }
        }
        throw new AssertionError("no identity certificate for " + mesh + " within " + WAIT);
    }

    private static X509Certificate identity(DiscoveryResponse response) throws Exception {
        for (var any : response.getResourcesList()) {
            Secret secret = any.unpack(Secret.class);
            if (secret.hasTlsCertificate()) {
                return certificate(secret.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8());
            }
        }
        throw new AssertionError("no identity certificate in " + response);
    }

    /** When a certificate of this lifetime was issued: its end less its lifetime (its start is set back for skew). */
    private static Instant issuedAt(X509Certificate certificate, Duration lifetime) {
        return certificate.getNotAfter().toInstant().minus(lifetime);
    }

    private static Duration validity(X509Certificate certificate) {
        return Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    private static List<String> uris(X509Certificate certificate) throws Exception {
        List<String> uris = new ArrayList<>();
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
            if ((Integer) name.get(0) == 6) {
                uris.add((String) name.get(1));
            }
        }
        return uris;
    }

    private AdsTestClient connect(String nodeId, String definition, Map<String, String> metadata) {
        return mtls.connect(nodeId, definition, metadata);
    }

    /** A Mesh with the builtin CA {@code ca-1}, whose Dataplane certificates live {@code lifetime}. */
    static String builtinMesh(String name, String lifetime) {
        return """
                type: Mesh
                name: %s
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: builtin
                    dpCert:
                      rotation:
                        expiration: %s
                """.formatted(name, lifetime);
    }

    private static String dataplane(String mesh, String name, String service) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"" + mesh + "\",\"name\":\"" + name + "\",\"networking\":"
                + "{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":8080,\"tags\":{\"kuma.io/service\":\""
                + service + "\",\"kuma.io/protocol\":\"http\"}}]}}";
    }

    private void apply(String text) {
        mtls.apply(text);
    }
}
