package io.ursa.xds;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.ca.BuiltinCaPlugin;
import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.ca.MeshCa;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.SecretAccess;
import io.ursa.core.store.ResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyIdentity;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.ProxySnapshots;
import io.ursa.xds.testing.XdsFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesh mTLS and TrafficPermission with the real grpc-xds: a java-control-plane ADS server fed with the snapshots of
 * {@link Profiles#grpc()} for a STRICT mesh with a builtin CA, one {@code XdsServerBuilder} server
 * ({@code XdsServerCredentials}) and grpc-xds channels ({@code XdsChannelCredentials}).
 *
 * <p>Each application's certificate files are written from the Secrets its snapshot holds (what the certificate
 * agent does), and its bootstrap declares them as the {@code file_watcher} certificate provider
 * {@value GrpcBootstrap#CERTIFICATE_PROVIDER} that the generated TLS contexts name. The server answers with the
 * SPIFFE ID of the client certificate it saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcXdsMtlsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    private static final Context.Key<String> PEER = Context.key("peer-spiffe-id");

    @TempDir
    static Path certificates;

    private final List<DiscoveryRequest> nacks = new CopyOnWriteArrayList<>();
    private final Set<String> callersServed = ConcurrentHashMap.newKeySet();
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private Server controlPlane;
    private MeshContext mesh;
    private ManagedChannel web;
    private ManagedChannel intruder;
    private ManagedChannel spy;

    @BeforeAll
    void startMesh() throws Exception {
        ProxySnapshots snapshots = new ProxySnapshots();
        controlPlane = GrpcTestApps.startAds(snapshots, nacks);
        int backendPort = GrpcTestApps.freePort();
        ResourceStore store = XdsFixtures.store(meshYaml(backendPort));
        createBuiltinCa(store, "default");
        createBuiltinCa(store, "other");
        MeshContextBuilder contexts = new MeshContextBuilder(store, ResourceTypes.standard());
        mesh = contexts.build("default").orElseThrow();
        MeshCa otherCa = contexts.build("other").orElseThrow().mtls().orElseThrow().ca().orElseThrow();
        assertThat(mesh.mtls().orElseThrow().trustedMeshes()).as("meshes with their own builtin CAs")
                .containsExactly("default");

        MeshCa ca = mesh.mtls().orElseThrow().ca().orElseThrow();
        for (Resource<DataplaneSpec> dataplane : mesh.dataplanes()) {
            // spy-1 is a proxy of this mesh whose certificate comes from the other mesh's root.
            boolean spy = dataplane.name().equals("spy-1");
            ProxyContext proxy = mesh.proxy(dataplane.name()).orElseThrow()
                    .withIdentity(issue(spy ? otherCa : ca, dataplane))
                    .withMetadata(ProxyMetadata.grpc());
            ResourceSet resources = Profiles.grpc().generate(proxy);
            snapshots.update(proxy, resources);
            writeCertificateFiles(dataplane.name(), resources);
        }
        servers.add(startServer("backend-1", backendPort));
        web = channel("web-1");
        intruder = channel("intruder-1");
        spy = channel("spy-1");
    }

    @AfterAll
    void stopMesh() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
        if (controlPlane != null) {
            controlPlane.shutdownNow();
        }
    }

    @Test
    void aPermittedClientCallsOverMutualTlsAndTheServerSeesItsSpiffeId() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(call(web)).isEqualTo("spiffe://default/web"));

        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void aClientThatNoSourceOfTheTrafficPermissionMatchesIsDenied() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(failure(intruder).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED));

        assertThat(callersServed).doesNotContain("spiffe://default/intruder");
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void aClientWhoseCertificateComesFromAnotherMeshsRootCannotCompleteTheHandshake() {
        // The same listener, cluster and endpoints work for a certificate of this mesh...
        await().atMost(WAIT).untilAsserted(() -> assertThat(call(web)).isEqualTo("spiffe://default/web"));

        // ...but spy-1's handshake fails, before any RBAC (which would let a "web" in): the server asks for a
        // certificate of its mesh's CA, which spy-1 does not have (grpc-java's client then sends none, and the
        // server alerts TLSV1_ALERT_CERTIFICATE_REQUIRED).
        StatusRuntimeException failure = failure(spy);
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(causes(failure)).as("causes of %s", failure)
                .anyMatch(cause -> cause instanceof javax.net.ssl.SSLException
                        && String.valueOf(cause.getMessage()).toUpperCase(Locale.ROOT).contains("CERTIFICATE"));
        assertThat(callersServed).noneMatch(id -> id.startsWith("spiffe://other/"));
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    private Server startServer(String name, int port) throws Exception {
        CountDownLatch serving = new CountDownLatch(1);
        ServerServiceDefinition echo = ServerServiceDefinition.builder("ursa.test.Echo")
                .addMethod(GrpcTestApps.WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    String caller = PEER.get();
                    callersServed.add(caller);
                    response.onNext(caller);
                    response.onCompleted();
                }))
                .build();
        Server server = XdsServerBuilder.forPort(port, XdsServerCredentials.create(InsecureServerCredentials.create()))
                .overrideBootstrapForTest(bootstrap(name))
                .xdsServingStatusListener(new XdsServerBuilder.XdsServingStatusListener() {
                    @Override
                    public void onServing() {
                        serving.countDown();
                    }

                    @Override
                    public void onNotServing(Throwable throwable) {
                    }
                })
                .addService(ServerInterceptors.intercept(echo, new PeerSpiffeId()))
                .build();
        // start() returns only once the server has its listener (stack-notes P11): on its own thread, so that a
        // missing or rejected listener fails the wait instead of hanging the test.
        try {
            CompletableFuture.runAsync(() -> {
                try {
                    server.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(WAIT.toSeconds(), SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " got no listener it accepts; rejected: " + nacks.stream()
                    .map(n -> n.getErrorDetail().getMessage()).distinct().toList(), e);
        }
        await().atMost(WAIT).until(() -> serving.getCount() == 0);
        return server;
    }

    /** A channel to {@code xds:///backend} with the bootstrap of Dataplane {@code name} and xDS credentials. */
    @SuppressWarnings("deprecation") // the per-channel resolver is the way to give one channel its own node
    private ManagedChannel channel(String name) {
        ManagedChannel channel = NettyChannelBuilder.forTarget("xds:///backend",
                        XdsChannelCredentials.create(InsecureChannelCredentials.create()))
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap(name)))
                .build();
        channels.add(channel);
        return channel;
    }

    /** The Dataplane's bootstrap with its certificate files as the {@code file_watcher} provider our TLS names. */
    private Map<String, ?> bootstrap(String name) {
        Map<String, Object> bootstrap = GrpcTestApps.bootstrap(controlPlane.getPort(),
                mesh.dataplane(name).orElseThrow());
        Path dir = certificates.resolve(name);
        bootstrap.put("certificate_providers", Map.of(GrpcBootstrap.CERTIFICATE_PROVIDER, Map.of(
                "plugin_name", "file_watcher",
                "config", Map.of(
                        "certificate_file", dir.resolve(GrpcBootstrap.CERTIFICATE_FILE).toString(),
                        "private_key_file", dir.resolve(GrpcBootstrap.PRIVATE_KEY_FILE).toString(),
                        "ca_certificate_file", dir.resolve(GrpcBootstrap.CA_CERTIFICATE_FILE).toString(),
                        "refresh_interval", "1s"))));
        return bootstrap;
    }

    /** Writes the files the certificate agent would, from the Secrets of the proxy's snapshot. */
    private void writeCertificateFiles(String name, ResourceSet resources) throws IOException {
        Secret identity = resources.get(Secret.class, EnvoyNames.identityCertSecret(mesh.name())).orElseThrow();
        Secret ca = resources.get(Secret.class, EnvoyNames.meshCaSecret(mesh.name())).orElseThrow();
        Path dir = Files.createDirectories(certificates.resolve(name));
        Files.write(dir.resolve(GrpcBootstrap.CERTIFICATE_FILE),
                identity.getTlsCertificate().getCertificateChain().getInlineBytes().toByteArray());
        Files.write(dir.resolve(GrpcBootstrap.PRIVATE_KEY_FILE),
                identity.getTlsCertificate().getPrivateKey().getInlineBytes().toByteArray());
        Files.write(dir.resolve(GrpcBootstrap.CA_CERTIFICATE_FILE),
                ca.getValidationContext().getTrustedCa().getInlineBytes().toByteArray());
    }

    /** A certificate for {@code dataplane} from {@code ca}, as the reconciler issues it. */
    private static ProxyIdentity issue(MeshCa ca, Resource<DataplaneSpec> dataplane) {
        Map<String, Set<String>> tags = new TreeMap<>();
        dataplane.spec().tagSets().forEach(set -> set.forEach((key, value) ->
                tags.computeIfAbsent(key, k -> new TreeSet<>()).add(value)));
        DataplaneCertificateIssuer.Issued issued = new DataplaneCertificateIssuer(Clock.systemUTC(), new SecureRandom())
                .issue(ca.signer().certificateChainPem(), ca.signer().keyPem(), ca.mesh(), tags,
                        ca.certificateLifetime(), DataplaneCertificateIssuer.KeyType.ECDSA_P256);
        return new ProxyIdentity(issued.certificatePem(), issued.privateKeyPem(), ca.fingerprint(),
                issued.notBefore(), issued.notAfter());
    }

    /** The builtin CA's root certificate and key Secrets, as creating the mesh through the API makes them. */
    private static void createBuiltinCa(ResourceStore store, String meshName) {
        SecretAccess secrets = new SecretAccess() {
            @Override
            public Optional<byte[]> read(String mesh, String name) {
                return new io.ursa.core.ca.ReadOnlySecrets(store).read(mesh, name);
            }

            @Override
            public boolean createIfAbsent(String mesh, String name, byte[] data) {
                store.create(Resource.of(ResourceTypes.SECRET, mesh, name, SecretSpec.of(data)));
                return true;
            }
        };
        new BuiltinCaPlugin().ensure(new CaBackendContext(meshName, "ca-1", BuiltinCaPlugin.TYPE,
                JsonNodeFactory.instance.objectNode(), secrets));
    }

    private static String call(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, GrpcTestApps.WHO,
                CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE.toMillis(), MILLISECONDS), "who");
    }

    private static StatusRuntimeException failure(ManagedChannel channel) {
        StatusRuntimeException failure = catchThrowableOfType(() -> call(channel), StatusRuntimeException.class);
        assertThat(failure).as("the call's failure").isNotNull();
        return failure;
    }

    private static List<Throwable> causes(Throwable throwable) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = throwable; t != null && !causes.contains(t); t = t.getCause()) {
            causes.add(t);
        }
        return causes;
    }

    /** Puts the SPIFFE ID of the client certificate (or {@code plaintext}) in the call's context. */
    private static final class PeerSpiffeId implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                           ServerCallHandler<Q, A> next) {
            SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            return Contexts.interceptCall(Context.current().withValue(PEER, spiffeId(ssl)), call, headers, next);
        }

        private static String spiffeId(SSLSession ssl) {
            if (ssl == null) {
                return "plaintext";
            }
            try {
                X509Certificate peer = (X509Certificate) ssl.getPeerCertificates()[0];
                return peer.getSubjectAlternativeNames().stream()
                        .filter(san -> (Integer) san.get(0) == 6)
                        .map(san -> (String) san.get(1))
                        .filter(uri -> uri.startsWith("spiffe://"))
                        .findFirst()
                        .orElse("no SPIFFE ID");
            } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
                return "unverified: " + e.getMessage();
            }
        }
    }

    /**
     * A STRICT mesh with a builtin CA: backend-1 serves; web-1 may call it, intruder-1 may not (backend-callers is
     * more specific than allow-all); spy-1 would be allowed as a "web" but gets a certificate from mesh other's
     * root. The clients' inbounds are there to give them services; nothing listens on them.
     */
    private static String meshYaml(int backendPort) {
        return """
                type: Mesh
                name: default
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - {name: ca-1, type: builtin}
                ---
                type: Mesh
                name: other
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - {name: ca-1, type: builtin}
                ---
                type: Dataplane
                mesh: default
                name: backend-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: %d
                    tags: {kuma.io/service: backend, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: web-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20001
                    tags: {kuma.io/service: web, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: intruder-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20002
                    tags: {kuma.io/service: intruder, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: spy-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20003
                    tags: {kuma.io/service: web, kuma.io/protocol: grpc}
                ---
                type: TrafficRoute
                mesh: default
                name: route-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {destination: {kuma.io/service: '*'}}
                ---
                type: TrafficPermission
                mesh: default
                name: allow-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                ---
                type: TrafficPermission
                mesh: default
                name: backend-callers
                sources: [{match: {kuma.io/service: web}}]
                destinations: [{match: {kuma.io/service: backend}}]
                """.formatted(backendPort);
    }
}
