package io.ursa.xds.generator.template;

import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.SnapshotAssembler;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each {@code <case>.template.yaml} under {@code testdata/xds/proxy-template} is added to {@code base.yaml} and the
 * first Dataplane's configuration generated through {@link ProxyTemplates}: it must match
 * {@code <case>.golden.yaml}, parse strictly into Envoy's protos and be a consistent snapshot. One case per
 * modification kind and operation, plus raw resources and imports.
 */
class ProxyTemplateTest {
    static final Path FOLDER = XdsFixtures.TESTDATA.resolve("proxy-template");
    static final String BASE = XdsFixtures.read(FOLDER.resolve("base.yaml"));
    private static final String TEMPLATE = ".template.yaml";

    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, TEMPLATE).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ProxyContext proxy = withTemplate(XdsFixtures.read(FOLDER.resolve(name + TEMPLATE)));

        ResourceSet resources = ProxyTemplates.generate(proxy);

        StrictEnvoyProtos.check(resources);
        SnapshotAssembler.forProxy(proxy).assemble(resources, name);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    /** web-1 of the base, in a mesh that also holds {@code templates} (YAML documents). */
    static ProxyContext withTemplate(String templates) {
        return XdsFixtures.firstProxy(BASE + "\n---\n" + templates, "proxy-template");
    }
}
