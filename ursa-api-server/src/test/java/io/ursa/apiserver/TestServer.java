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
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
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

/**
 * A real API server on a free loopback port over a memory store, with Ursa's standard CA plugins (a builtin
 * backend gets its Secrets), and an HTTP client for it. Resources are
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
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestServer(ApiServerConfig config, DataplaneInsights insights, DataplaneInspector inspector,
                       Supplier<JsonNode> effectiveConfig) {
        server = new ApiServer(manager, types, config.withAddress("127.0.0.1", 0), effectiveConfig,
                VERSION, INSTANCE_ID, insights, inspector, CaPlugins.standard(), Clock.systemUTC(),
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

    /** A server whose {@code /config} comes from {@code effectiveConfig}. */
    static TestServer withConfigSupplier(Supplier<JsonNode> effectiveConfig) {
        return new TestServer(ApiServerConfig.defaults(), DataplaneInsights.none(), DataplaneInspector.none(),
                effectiveConfig);
    }

    /** {@code http://127.0.0.1:<port>}. */
    String address() {
        return "http://127.0.0.1:" + server.port();
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

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    Reply put(String path, String body, String contentType, String... headers) {
        HttpRequest.Builder builder = request(path).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder);
    }

    Reply postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
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
