package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.core.store.ListQuery;
import io.ursa.testing.bodies.Bodies;
import io.ursa.testing.bodies.Body;
import io.ursa.testing.bodies.BodyRecipe;
import io.ursa.testing.bodies.ResourceTemplates;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated bodies against every PUT path of the API: each try edits a valid document of every type the same way
 * (fields replaced, removed or added, Universal or Kubernetes form, JSON or YAML, sometimes damaged text or the
 * wrong media type) and sends it to that type's path. Every answer is 2xx or a 4xx in Kuma's error shape; a
 * refusal changes nothing; what is accepted reads back; and afterwards every collection lists and every stored
 * resource survives the codec's round trip.
 */
class PutBodiesPropertiesTest {
    private static final int TRIES = 10_000;
    private static final String MESH = "demo";
    /** Names of Java, Jackson or SnakeYAML internals, which a user's error message must not show. */
    private static final java.util.regex.Pattern INTERNALS = java.util.regex.Pattern.compile(
            "java\\.|jackson|snakeyaml|Exception|\\[Source:|line: \\d+, column: \\d+\\]|`[a-z]+\\.");

    private static TestServer api;
    private static ResourceTemplates templates;
    private static List<Target> targets;
    private static final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
    private static final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private static volatile boolean failed;

    /** The PUT path of one type and the name and mesh its documents are given. */
    private record Target(ResourceType<?> type, String mesh, String name, String path) {
        static Target of(ResourceType<?> type) {
            String name = "generated-" + type.wsPath();
            if (type.wsPath().equals("meshes")) {
                return new Target(type, "", name, "/meshes/" + name);
            }
            return type.isMeshScoped()
                    ? new Target(type, MESH, name, "/meshes/" + MESH + "/" + type.wsPath() + "/" + name)
                    : new Target(type, "", name, "/" + type.wsPath() + "/" + name);
        }
    }

    @BeforeContainer
    static void startServer() {
        api = TestServer.start();
        api.seed(Fixtures.MESH_DEMO);
        templates = new ResourceTemplates(api.codec);
        targets = templates.types().stream().map(Target::of).toList();
    }

    @AfterContainer
    static void everythingStoredReadsBack() {
        try {
            for (Target target : targets) {
                if (!failed) {
                    assertThat(sent.get(target.path()).get()).as("bodies sent to " + target.path())
                            .isGreaterThanOrEqualTo(TRIES);
                }
                String collection = target.path().substring(0, target.path().lastIndexOf('/'));
                Reply list = api.get(collection + "?size=1000");
                assertThat(list.status()).as(list.toString()).isEqualTo(200);
                for (JsonNode item : list.json().path("items")) {
                    assertThat(api.codec.decode(item).type()).isEqualTo(target.type());
                }
                for (Resource<?> stored : api.manager.list(target.type(), ListQuery.all()).items()) {
                    Resource<?> again = api.codec.decode(api.codec.toUniversal(stored));
                    assertThat(again.spec()).as("round trip of " + stored.key()).isEqualTo(stored.spec());
                }
            }
            System.out.println("PUT bodies per path: " + TRIES + "; answers by status: " + statuses);
        } finally {
            api.close();
        }
    }

    @Provide
    Arbitrary<BodyRecipe> recipes() {
        return Bodies.recipes();
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void everyPutAnswersWithoutServerErrorAndRefusalsChangeNothing(@ForAll("recipes") BodyRecipe recipe) {
        try {
            sendToEveryPath(recipe);
        } catch (AssertionError e) {
            failed = true;
            throw e;
        }
    }

    private static void sendToEveryPath(BodyRecipe recipe) {
        for (Target target : targets) {
            Body body = recipe.render(templates.universal(target.type(), target.mesh(), target.name()), api.codec);
            Optional<Long> before = version(target);
            Reply reply = put(target.path(), body);
            sent.computeIfAbsent(target.path(), p -> new AtomicInteger()).incrementAndGet();
            statuses.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
            String context = "PUT " + target.path() + " with " + body + "\n-> " + reply;
            assertThat(reply.status()).as(context).isBetween(200, 499);
            if (reply.status() >= 400) {
                assertThat(reply.json().path("title").asText()).as(context).isNotBlank();
                assertThat(reply.body()).as("an error that speaks of the API, not our code: " + context)
                        .doesNotContainPattern(INTERNALS);
                assertThat(version(target)).as("a refused PUT changes nothing: " + context).isEqualTo(before);
            } else {
                Reply read = api.get(target.path());
                assertThat(read.status()).as("read back after " + context).isEqualTo(200);
                assertThat(api.codec.decode(read.json()).name()).isEqualTo(target.name());
            }
        }
    }

    private static Optional<Long> version(Target target) {
        return api.manager.get(target.type(), target.mesh(), target.name()).map(r -> r.meta().version());
    }

    private static Reply put(String path, Body body) {
        HttpRequest.Builder request = api.request(path).PUT(HttpRequest.BodyPublishers.ofString(body.text()));
        body.contentType().ifPresent(type -> request.header("Content-Type", type));
        return api.send(request);
    }

}
