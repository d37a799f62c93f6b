package io.ursa.e2e;

import static java.util.Objects.requireNonNull;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ChannelCredentials;
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
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Proxyless gRPC applications with mesh mTLS, set up as a user would: each application's certificate agent
 * ({@code bin/ursa-dp grpc-agent}, a real process) registers its Dataplane, writes its bootstrap and keeps its
 * certificate files fresh; the application's {@code XdsServerBuilder} server uses {@code XdsServerCredentials} and
 * its channels {@code XdsChannelCredentials}, so the TLS settings come from the control plane over xDS and the
 * certificates from the files. A server records the client certificate of every call it takes ({@link Peer}).
 */
final class SecureApps implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CpProcess cp;
    private final ProxylessApps tokens;
    private final Path dir;
    private final Path template;
    private final Map<App, Agent> agents = new ConcurrentHashMap<>();
    private final Map<App, Path> templates = new ConcurrentHashMap<>();
    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

    /** A certificate agent: its process, the directory it keeps the certificates in, the bootstrap it wrote. */
    record Agent(App app, Process process, Path certificates, Map<String, ?> bootstrap, Path log) {
    }

    /** What a server saw of the client of one call: its SPIFFE ID and certificate serial; empty for plaintext. */
    record Peer(String spiffeId, String serial) {
        static final Peer PLAINTEXT = new Peer("", "");
    }

    SecureApps(CpProcess cp, ProxylessApps tokens, Path dir) throws IOException {
        this.cp = requireNonNull(cp, "cp");
        this.tokens = requireNonNull(tokens, "tokens");
        this.dir = Files.createDirectories(dir);
        this.template = Files.writeString(dir.resolve("dataplane.yaml"), App.TEMPLATE);
    }

    /** Starts {@code app}'s certificate agent and waits until it has written the certificates and the bootstrap. */
    Agent agent(App app) {
        return agents.computeIfAbsent(app, this::startAgent);
    }

    /**
     * Like {@link #agent(App)}, for a Dataplane that {@code definition} describes (a template rendered with the
     * app's variables) instead of {@link App#TEMPLATE}: a gateway, say.
     */
    Agent agent(App app, String definition) throws IOException {
        templates.put(app, Files.writeString(dir.resolve(app.mesh() + "-" + app.name() + ".dataplane.yaml"),
                definition));
        return agent(app);
    }

    private Agent startAgent(App app) {
        Path home = dir.resolve(app.mesh() + "-" + app.name());
        Path certificates = home.resolve("certs");
        Path bootstrap = home.resolve("bootstrap.json");
        Path log = home.resolve("agent.log");
        List<String> command = new ArrayList<>(List.of(CpProcess.REPO.resolve("bin/ursa-dp").toString(),
                "grpc-agent", "--cp-address", cp.dpUrl(), "--ca-cert-file", caFile(),
                "--dataplane-file", templates.getOrDefault(app, template).toString(),
                "--dataplane-token-file", tokens.token(app.mesh()).toString(),
                "--certificates-dir", certificates.toString(),
                "--bootstrap-file", bootstrap.toString()));
        app.variables().forEach((key, value) -> {
            command.add("-v");
            command.add(key + "=" + value);
        });
        Process process;
        try {
            Files.createDirectories(home);
            process = new ProcessBuilder(command).directory(CpProcess.REPO.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            await().atMost(START).until(() -> !process.isAlive() || (Files.exists(bootstrap)
                    && Files.exists(certificates.resolve("cert.pem")) && Files.exists(certificates.resolve("key.pem"))
                    && Files.exists(certificates.resolve("ca.pem"))));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the agent of " + app.instance() + " wrote no certificates within " + START
                    + ":\n" + read(log), e);
        }
        if (!process.isAlive()) {
            throw new AssertionError("the agent of " + app.instance() + " exited with " + process.exitValue()
                    + ":\n" + read(log));
        }
        try {
            Map<String, ?> json = JSON.readValue(bootstrap.toFile(), new TypeReference<Map<String, Object>>() { });
            return new Agent(app, process, certificates, json, log);
        } catch (IOException e) {
            throw new AssertionError("the agent of " + app.instance() + " wrote a bootstrap that is not JSON", e);
        }
    }

    /**
     * Starts {@code app}'s server with {@code XdsServerCredentials}. Every call's client is recorded in
     * {@code peers}; a non-zero {@code maxConnectionAge} makes clients reconnect (and so handshake again) that
     * often.
     */
    Server serve(App app, Set<Peer> peers, Duration maxConnectionAge) throws InterruptedException {
        Agent agent = agent(app);
        XdsServerBuilder builder = XdsServerBuilder.forPort(app.port(),
                        XdsServerCredentials.create(InsecureServerCredentials.create()))
                .overrideBootstrapForTest(agent.bootstrap())
                .addService(ServerInterceptors.intercept(WhoAmI.service(app.instance()), recording(peers)));
        if (!maxConnectionAge.isZero()) {
            builder.maxConnectionAge(maxConnectionAge.toMillis(), TimeUnit.MILLISECONDS)
                    .maxConnectionAgeGrace(5, TimeUnit.SECONDS);
        }
        Server server = XdsServers.start(builder, app.instance(), START);
        servers.add(server);
        return server;
    }

    /** A channel of {@code app} to {@code xds:///<service>} with {@code XdsChannelCredentials}. */
    @SuppressWarnings("deprecation") // the per-channel resolver gives each application its own node identity
    ManagedChannel channel(App app, String service) {
        Agent agent = agent(app);
        ManagedChannel channel = NettyChannelBuilder.forTarget("xds:///" + service,
                        XdsChannelCredentials.create(InsecureChannelCredentials.create()))
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", agent.bootstrap()))
                .build();
        channels.add(channel);
        return channel;
    }

    /**
     * A channel straight to {@code port} that presents the certificate {@code agent} keeps, trusting whatever the
     * server presents: it shows what the server accepts, whatever mesh the client belongs to.
     */
    ManagedChannel presenting(Agent agent, int port) throws IOException {
        ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
                .keyManager(agent.certificates().resolve("cert.pem").toFile(),
                        agent.certificates().resolve("key.pem").toFile())
                .trustManager(new TrustAnything())
                .build();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
        channels.add(channel);
        return channel;
    }

    /** A plaintext channel straight to {@code port}: a client outside the mesh. */
    ManagedChannel plaintext(int port) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                InsecureChannelCredentials.create()).build();
        channels.add(channel);
        return channel;
    }

    /** Stops every server and channel; agents keep running. */
    void stopApps() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Server server : servers) {
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        channels.clear();
        servers.clear();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stopApps();
        } finally {
            for (Agent agent : agents.values()) {
                agent.process().destroy();
            }
            for (Agent agent : agents.values()) {
                if (!agent.process().waitFor(10, TimeUnit.SECONDS)) {
                    agent.process().destroyForcibly();
                }
            }
        }
    }

    /** The agent logs, for a failing test's report. */
    String logs() {
        StringBuilder text = new StringBuilder();
        agents.values().forEach(a -> text.append("--- agent of ").append(a.app().instance()).append('\n')
                .append(read(a.log())));
        return text.toString();
    }

    /** Records the client of every call in {@code peers}. */
    static ServerInterceptor recording(Set<Peer> peers) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                peers.add(peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
                return next.startCall(call, headers);
            }
        };
    }

    private static Peer peer(SSLSession session) {
        if (session == null) {
            return Peer.PLAINTEXT;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            X509Certificate leaf = (X509Certificate) chain[0];
            String spiffe = "";
            for (List<?> name : leaf.getSubjectAlternativeNames()) {
                if ((Integer) name.get(0) == 6 && ((String) name.get(1)).startsWith("spiffe://")) {
                    spiffe = (String) name.get(1);
                    break;
                }
            }
            return new Peer(spiffe, leaf.getSerialNumber().toString(16));
        } catch (SSLPeerUnverifiedException | java.security.cert.CertificateParsingException e) {
            return new Peer("unverified: " + e.getMessage(), "");
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no output)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Accepts any server certificate: these channels test what the server accepts, not what the client does. */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The control plane's CA, which the DP server's certificate chains to. */
    private String caFile() {
        try {
            return cp.caFile().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
