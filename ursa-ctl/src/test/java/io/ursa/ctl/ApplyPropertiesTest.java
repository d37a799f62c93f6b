package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.ApiServer;
import io.ursa.apiserver.ApiServerConfig;
import io.ursa.apiserver.DataplaneInsights;
import io.ursa.ca.CaPlugins;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.testing.bodies.Bodies;
import io.ursa.testing.bodies.BodyRecipe;
import io.ursa.testing.bodies.ResourceTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated YAML streams through {@code ursactl apply -f -} against the real API server: one to three documents of
 * any type and form, each a valid document edited by a generated recipe. Every run ends with exit 0 and one line per
 * document, or exit 1 and an error of ursactl's own (never an exception's class name); the server never answers
 * 5xx; an apply refused before sending changes nothing; and afterwards everything stored lists through ursactl and
 * survives the codec's round trip.
 */
class ApplyPropertiesTest {
    private static final int TRIES = 10_000;
    private static final List<String> NAMES = List.of("one", "two");
    private static final Pattern INTERNAL_ERROR = Pattern.compile("Error: [A-Z]\\w*(Exception|Error)\\b");

    private static Path home;
    private static ResourceManager manager;
    private static ApiServer server;
    private static CtlRunner ctl;
    private static ResourceCodec codec;
    private static ResourceTemplates templates;
    private static final Map<Integer, AtomicInteger> serverStatuses = new ConcurrentHashMap<>();
    private static final Map<Integer, AtomicInteger> exitCodes = new ConcurrentHashMap<>();
    private static final AtomicInteger documents = new AtomicInteger();
    private static volatile boolean failed;

    /** One generated document: which type, which name, which mesh, which edits. */
    record Doc(int typeIndex, String name, boolean inMissingMesh, BodyRecipe recipe) {
    }

    @BeforeContainer
    static void startControlPlane() throws IOException {
        home = Files.createTempDirectory("ursactl-properties");
        manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), CaPlugins.standard());
        server = new ApiServer(manager, ResourceTypes.standard(),
                ApiServerConfig.defaults().withAddress("127.0.0.1", 0), () -> Json.json().createObjectNode(),
                "0.0.0-test", "test-instance", DataplaneInsights.none(), Clock.systemUTC(),
                (method, route, status, elapsed) -> serverStatuses.computeIfAbsent(status, s -> new AtomicInteger())
                        .incrementAndGet());
        server.start();
        ctl = new CtlRunner(home, Clock.systemUTC());
        codec = new ResourceCodec(ResourceTypes.standard());
        templates = new ResourceTemplates(codec);
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "test", "--address",
                "http://127.0.0.1:" + server.port());
        assertThat(added.exitCode()).as(added.toString()).isZero();
        CtlRunner.Result mesh = ctl.runWithStdin("type: Mesh\nname: demo\nskipCreatingInitialPolicies: ['*']\n",
                "apply", "-f", "-");
        assertThat(mesh.exitCode()).as(mesh.toString()).isZero();
    }

    @AfterContainer
    static void everythingStoredReadsBack() throws IOException {
        try {
            for (ResourceType<?> type : templates.types()) {
                List<String> args = type.isMeshScoped()
                        ? List.of("get", type.cliPlural(), "--mesh", "demo", "-o", "json")
                        : List.of("get", type.cliPlural(), "-o", "json");
                CtlRunner.Result list = ctl.run(args.toArray(String[]::new));
                assertThat(list.exitCode()).as(list.toString()).isZero();
                for (Resource<?> stored : manager.list(type, ListQuery.all()).items()) {
                    assertThat(codec.decode(codec.toUniversal(stored)).spec()).as("round trip of " + stored.key())
                            .isEqualTo(stored.spec());
                }
            }
            if (!failed) {
                assertThat(documents.get()).as("documents applied").isGreaterThanOrEqualTo(TRIES);
            }
            assertThat(serverStatuses.keySet()).as("statuses the server answered").allMatch(s -> s < 500);
            System.out.println("apply runs: " + TRIES + ", documents: " + documents + ", exit codes: " + exitCodes
                    + ", server statuses: " + serverStatuses);
        } finally {
            server.close();
            deleteRecursively(home);
        }
    }

    @Provide
    Arbitrary<List<Doc>> streams() {
        Arbitrary<Doc> doc = Combinators.combine(
                Arbitraries.integers().between(0, templates.types().size() - 1),
                Arbitraries.of(NAMES),
                Arbitraries.integers().between(0, 15).map(i -> i == 0),
                Bodies.recipes()).as(Doc::new);
        return doc.list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void applyEndsCleanlyAndARefusalBeforeSendingChangesNothing(@ForAll("streams") List<Doc> docs) {
        try {
            applyOnce(docs);
        } catch (AssertionError e) {
            failed = true;
            throw e;
        }
    }

    private static void applyOnce(List<Doc> docs) {
        String yaml = docs.stream().map(ApplyPropertiesTest::render).collect(Collectors.joining("\n---\n"));
        documents.addAndGet(docs.size());
        Map<String, Long> before = storeContents();

        CtlRunner.Result result = ctl.runWithStdin(yaml, "apply", "-f", "-");

        exitCodes.computeIfAbsent(result.exitCode(), c -> new AtomicInteger()).incrementAndGet();
        String context = "apply of\n" + yaml + "\n-> " + result;
        assertThat(result.exitCode()).as(context).isIn(0, 1);
        assertThat(serverStatuses.keySet()).as("no 5xx after " + context).allMatch(s -> s < 500);
        if (result.exitCode() == 0) {
            assertThat(result.out().lines().filter(l -> l.startsWith("created ") || l.startsWith("updated ")
                    || l.startsWith("unchanged "))).as(context).isNotEmpty();
            assertThat(result.err().lines()).as(context).allMatch(line -> line.startsWith("warning: "));
        } else {
            // warnings of documents applied before the failing one come first
            String error = result.err().lines().dropWhile(line -> line.startsWith("warning: "))
                    .collect(Collectors.joining("\n"));
            assertThat(error).as(context).startsWith("Error: ");
            assertThat(INTERNAL_ERROR.matcher(result.err()).find()).as("an internal error in " + context).isFalse();
            assertThat(result.err()).as("an error that speaks of the input, not our code: " + context)
                    .doesNotContainPattern("java\\.|jackson|snakeyaml|\\[Source:");
            if (result.err().contains("nothing was applied")) {
                assertThat(storeContents()).as("store after " + context).isEqualTo(before);
            }
        }
    }

    private static String render(Doc doc) {
        ResourceType<?> type = templates.types().get(doc.typeIndex());
        ObjectNode universal = templates.universal(type, doc.inMissingMesh() ? "missing" : "demo", doc.name());
        return doc.recipe().yaml(universal, codec);
    }

    private static Map<String, Long> storeContents() {
        Map<String, Long> contents = new TreeMap<>();
        for (ResourceType<?> type : ResourceTypes.standard().all()) {
            for (Resource<?> r : manager.list(type, ListQuery.all()).items()) {
                contents.put(r.key().toString(), r.meta().version());
            }
        }
        return contents;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
