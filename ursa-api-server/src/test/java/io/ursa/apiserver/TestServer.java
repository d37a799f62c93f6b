package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.ca.CaPlugins;
import io.ursa.core.access.User;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.tokens.UserTokenIssuer;
import io.ursa.core.tokens.UserTokens;
import io.ursa.core.tokens.ZoneTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.LocalHost;
import io.ursa.core.cluster.SingleInstanceCluster;

/**
 * A real API server on a free loopback port over a memory store, with Ursa's standard CA plugins (a builtin
 * backend gets its Secrets), a user-token signing key and the default access resources, and an HTTP client for it. Resources are
 * seeded from YAML through the codec and the manager, the way the API itself builds them.
 */
final class TestServer implements AutoCloseable {
    static final String VERSION = "0.0.0-test";
    static final String INSTANCE_ID = "test-instance";

    final ResourceTypes types = ResourceTypes.standard();
    final ResourceCodec codec = new ResourceCodec(types);
    final ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(),
            CaPlugins.standard());
    final ApiServer server;
    private final HttpClient client;

    private TestServer(ApiServerConfig config, DataplaneInsights insights, DataplaneInspector inspector,
                       Supplier<JsonNode> effectiveConfig) {
        this(config, insights, inspector, effectiveConfig, HttpClient.newBuilder(),
                new SingleInstanceCluster(INSTANCE_ID, LocalHost.name(), VERSION, Clock.systemUTC()));
    }

    private TestServer(ApiServerConfig config, DataplaneInsights insights, DataplaneInspector inspector,
                       Supplier<JsonNode> effectiveConfig, HttpClient.Builder clientBuilder, Cluster cluster) {
        client = clientBuilder.version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        UserTokens.ensureSigningKey(manager);
        ZoneTokens.ensureSigningKey(manager);
        server = new ApiServer(manager, types, config.http().isPresent() ? config.withAddress("127.0.0.1", 0) : config,
                effectiveConfig, VERSION, cluster, insights, inspector, CaPlugins.standard(), Clock.systemUTC(),
                RequestObserver.none());
        server.start();
    }

    static TestServer start() {
        return start(ApiServerConfig.defaults(), DataplaneInsights.none());
    }

    static TestServer start(ApiServerConfig config, DataplaneInsights insights) {
        return start(config, insights, DataplaneInspector.none());
    }

    static TestServer start(ApiServerConfig config, DataplaneInsights insights, DataplaneInspector inspector) {
        ObjectNode effective = Json.json().createObjectNode();
        effective.putObject("apiServer").put("readOnly", config.readOnly());
        return new TestServer(config, insights, inspector, () -> effective);
    }

    /**
     * A server with {@code config} (whose HTTPS, if any, must listen on 127.0.0.1) and a client that speaks TLS
     * with {@code tls}; {@link #address()} is the HTTPS one when plain HTTP is off.
     */
    static TestServer withTls(ApiServerConfig config, javax.net.ssl.SSLContext tls) {
        return new TestServer(config, DataplaneInsights.none(), DataplaneInspector.none(),
                () -> Json.json().createObjectNode(), HttpClient.newBuilder().sslContext(tls),
                new SingleInstanceCluster(INSTANCE_ID, LocalHost.name(), VERSION, Clock.systemUTC()));
    }

    /** A server that is one instance of {@code cluster}. */
    static TestServer inCluster(Cluster cluster) {
        return new TestServer(ApiServerConfig.defaults(), DataplaneInsights.none(), DataplaneInspector.none(),
                () -> Json.json().createObjectNode(), HttpClient.newBuilder(), cluster);
    }

    /** A server whose {@code /config} comes from {@code effectiveConfig}. */
    static TestServer withConfigSupplier(Supplier<JsonNode> effectiveConfig) {
        return new TestServer(ApiServerConfig.defaults(), DataplaneInsights.none(), DataplaneInspector.none(),
                effectiveConfig);
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://...} when plain HTTP is off. */
    String address() {
        return server.httpPort().isPresent() ? "http://127.0.0.1:" + server.port()
                : "https://127.0.0.1:" + server.port();
    }

    /** A token for {@code user}, valid for a day, issued the way {@code POST /tokens/user} issues it. */
    String tokenFor(User user) {
        return new UserTokenIssuer(manager, Clock.systemUTC()).issue(user, Duration.ofHours(24));
    }

    /** The bootstrap admin token, as the control plane creates it at start. */
    String adminToken() {
        UserTokens.ensureAdminToken(manager, Clock.systemUTC());
        return new String(manager.get(ResourceTypes.GLOBAL_SECRET, "", UserTokens.ADMIN_TOKEN).orElseThrow().spec()
                .bytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Creates or updates every resource of a YAML stream, in order. */
    void seed(String yaml) {
        for (JsonNode doc : codec.parseYamlDocuments(yaml)) {
            upsert(codec.decode(doc));
        }
    }

    private <S extends Spec> void upsert(Resource<S> resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    /** Every stored resource's key and version, to show that a refused request changed nothing. */
    Map<String, Long> storeContents() {
        Map<String, Long> contents = new TreeMap<>();
        for (ResourceType<?> type : types.all()) {
            for (Resource<?> r : manager.list(type, ListQuery.all()).items()) {
                contents.put(r.key().toString(), r.meta().version());
            }
        }
        return contents;
    }

    Reply get(String path, String... headers) {
        return send(withHeaders(request(path).GET(), headers));
    }

    Reply delete(String path, String... headers) {
        return send(withHeaders(request(path).DELETE(), headers));
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder builder, String... headers) {
        return headers.length == 0 ? builder : builder.headers(headers);
    }

    /** {@code Authorization: Bearer <token>}, as name and value for the header arguments. */
    static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    Reply put(String path, String body, String contentType, String... headers) {
        HttpRequest.Builder builder = request(path).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder);
    }

    Reply postJson(String path, String json, String... headers) {
        return send(withHeaders(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers));
    }

    Reply putJson(String path, String json, String... headers) {
        return put(path, json, "application/json", headers);
    }

    Reply putYaml(String path, String yaml, String... headers) {
        return put(path, yaml, "application/yaml", headers);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(address() + path)).timeout(Duration.ofSeconds(30));
    }

    Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
