package io.ursa.e2e;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Proxyless gRPC applications set up the way a user sets one up: a dataplane token from
 * {@code ursactl generate dataplane-token}, the application's Dataplane definition ({@link App#TEMPLATE}), its
 * bootstrap from {@code ursactl generate grpc-bootstrap}; then, in this JVM, {@code XdsServerBuilder} servers and
 * {@code xds:///} channels that read that bootstrap and get everything else from the control plane.
 *
 * <p>Every application has its own node identity: grpc-xds keeps one XdsClient (one ADS stream) per bootstrap
 * override, for a server ({@code overrideBootstrapForTest}) as for a channel ({@code createForTest}). The
 * {@code ursactl} runs of several applications go in parallel, each is a JVM start. {@link #stopAll()} stops every
 * server and channel this opened.
 */
final class ProxylessApps implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CpProcess cp;
    private final Ursactl ctl;
    private final Path dir;
    private final Path template;
    private final ExecutorService cli = Executors.newFixedThreadPool(3);
    private final Map<String, Path> tokens = new ConcurrentHashMap<>();
    private final Map<App, Map<String, ?>> bootstraps = new ConcurrentHashMap<>();
    private final List<Instance> servers = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

    ProxylessApps(CpProcess cp, Ursactl ctl, Path dir) throws IOException {
        this.cp = requireNonNull(cp, "cp");
        this.ctl = requireNonNull(ctl, "ctl");
        this.dir = Files.createDirectories(dir);
        this.template = Files.writeString(dir.resolve("dataplane.yaml"), App.TEMPLATE);
    }

    /** A running {@code XdsServerBuilder} server of one application. */
    record Instance(App app, Server server) {
        /** Stops the application: its port closes and its ADS stream ends. */
        void stop() throws InterruptedException {
            server.shutdownNow();
            if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new AssertionError(app.instance() + " did not stop within 10s");
            }
        }
    }

    /** Generates a token for each mesh (in parallel) with {@code ursactl generate dataplane-token --mesh}. */
    void tokens(String... meshes) {
        parallel(List.of(meshes), mesh -> tokens.put(mesh, generateToken(mesh)));
    }

    /** The token file of {@code mesh}, generated on first use. */
    Path token(String mesh) {
        return tokens.computeIfAbsent(mesh, this::generateToken);
    }

    /** Generates the bootstraps of {@code apps} (in parallel), each with its mesh's token. */
    void prepare(App... apps) {
        parallel(List.of(apps), this::bootstrap);
    }

    /** The bootstrap of {@code app} with its own mesh's token, generated on first use. */
    Map<String, ?> bootstrap(App app) {
        return bootstraps.computeIfAbsent(app, a -> bootstrap(a, token(a.mesh())));
    }

    /** {@code ursactl generate grpc-bootstrap} for {@code app}, presenting the token in {@code tokenFile}. */
    Map<String, ?> bootstrap(App app, Path tokenFile) {
        List<String> args = new ArrayList<>(List.of("generate", "grpc-bootstrap",
                "--dataplane-file", template.toString(),
                "--dataplane-token-file", tokenFile.toString(),
                "--cp-address", cp.dpUrl(), "--ca-cert-file", caFile().toString()));
        app.variables().forEach((key, value) -> {
            args.add("-v");
            args.add(key + "=" + value);
        });
        String json = ok(args.toArray(String[]::new));
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new AssertionError("generate grpc-bootstrap printed no JSON:\n" + json, e);
        }
    }

    /** Starts {@code app}'s server on its port, answering {@link WhoAmI} with its instance name, once it serves. */
    Instance serve(App app) throws InterruptedException {
        Server server = XdsServers.start(XdsServerBuilder.forPort(app.port(),
                        XdsServerCredentials.create(InsecureServerCredentials.create()))
                .overrideBootstrapForTest(bootstrap(app))
                .addService(WhoAmI.service(app.instance())), app.instance(), START);
        Instance instance = new Instance(app, server);
        servers.add(instance);
        return instance;
    }

    /** A channel of {@code app} to {@code xds:///<service>}. */
    ManagedChannel channel(App app, String service) {
        return channel(bootstrap(app), service);
    }

    /**
     * A channel to {@code xds:///<service>} with its own bootstrap. Not through {@code Grpc.newChannelBuilder}, which
     * would pin the default registry's xds resolver and its process-wide bootstrap.
     */
    @SuppressWarnings("deprecation") // the per-channel resolver is how one channel gets its own node identity
    ManagedChannel channel(Map<String, ?> bootstrap, String service) {
        ManagedChannel channel = NettyChannelBuilder.forTarget("xds:///" + service, InsecureChannelCredentials.create())
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap))
                .build();
        channels.add(channel);
        return channel;
    }

    /** Stops every server and channel started so far; tokens and bootstraps stay. */
    void stopAll() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(s -> s.server().shutdownNow());
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Instance instance : servers) {
            instance.server().awaitTermination(5, TimeUnit.SECONDS);
        }
        channels.clear();
        servers.clear();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stopAll();
        } finally {
            cli.shutdownNow();
        }
    }

    private Path generateToken(String mesh) {
        String token = ok("generate", "dataplane-token", "--mesh", mesh);
        try {
            return Files.writeString(dir.resolve(mesh + ".token"), token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String ok(String... args) {
        Ursactl.Result result;
        try {
            result = ctl.run(null, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running ursactl " + String.join(" ", args), e);
        }
        if (result.exitCode() != 0) {
            throw new AssertionError("ursactl " + String.join(" ", args) + " exited with " + result.exitCode()
                    + "\nstdout:\n" + result.out() + "\nstderr:\n" + result.err());
        }
        return result.out();
    }

    private <T> void parallel(List<T> items, Consumer<T> action) {
        List<CompletableFuture<Void>> runs = items.stream()
                .map(item -> CompletableFuture.runAsync(() -> action.accept(item), cli))
                .toList();
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AssertionError error) {
                throw error;
            }
            throw new AssertionError(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("ursactl runs did not finish within 2 minutes", e);
        }
    }

    /** The control plane's CA, which the DP server's certificate chains to. */
    private Path caFile() {
        try {
            return cp.caFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
