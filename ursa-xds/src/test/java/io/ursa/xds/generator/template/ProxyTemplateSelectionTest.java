package io.ursa.xds.generator.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.ursa.api.resource.Resource;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which ProxyTemplate a proxy gets, and that a proxy without one gets the profile's configuration unchanged. */
class ProxyTemplateSelectionTest {
    private static final String WILDCARD = template("a-wildcard", "{kuma.io/service: '*'}", "1s");
    private static final String EXACT = template("b-exact", "{kuma.io/service: web}", "2s");
    private static final String TWO_TAGS = template("c-two-tags", "{kuma.io/service: web, version: v1}", "3s");
    private static final String OTHER = template("d-other", "{kuma.io/service: api}", "4s");

    @Test
    void theMostSpecificSelectorWins() {
        ProxyContext proxy = ProxyTemplateTest.withTemplate(String.join("\n---\n", WILDCARD, TWO_TAGS, EXACT));

        assertThat(ProxyTemplates.select(proxy).map(Resource::name)).hasValue("c-two-tags");
        assertThat(ProxyTemplates.generate(proxy).get(Cluster.class, "api").orElseThrow().getConnectTimeout()
                .getSeconds()).as("the connect timeout the winning template sets").isEqualTo(3);
    }

    @Test
    void anExactValueBeatsAWildcardAndATemplateOfAnotherServiceIsNotACandidate() {
        ProxyContext proxy = ProxyTemplateTest.withTemplate(String.join("\n---\n", OTHER, WILDCARD, EXACT));

        assertThat(ProxyTemplates.select(proxy).map(Resource::name)).hasValue("b-exact");
    }

    @Test
    void withoutAMatchingTemplateTheProxyGetsTheDefaultProfile() {
        ProxyContext proxy = ProxyTemplateTest.withTemplate(OTHER);

        assertThat(ProxyTemplates.select(proxy)).isEmpty();
        assertThat(ProxyTemplates.generate(proxy)).isEqualTo(Profiles.envoy().generate(proxy));
    }

    @Test
    void proxylessGrpcGetsNoTemplate() {
        ProxyContext proxy = ProxyTemplateTest.withTemplate(WILDCARD).withMetadata(ProxyMetadata.grpc());

        assertThat(ProxyTemplates.select(proxy)).isEmpty();
        assertThat(ProxyTemplates.generate(proxy)).isEqualTo(Profiles.grpc().generate(proxy));
    }

    static Stream<Path> profileInputs() {
        Path folder = XdsFixtures.TESTDATA.resolve("profile");
        return GoldenFiles.caseNames(folder, ".input.yaml").stream().map(name -> folder.resolve(name + ".input.yaml"));
    }

    /** Existing whole-sidecar inputs, with and without a template of another service: the very same resources. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("profileInputs")
    void aProxyWithoutTemplateGetsExactlyTheProfilesResources(Path input) {
        String yaml = XdsFixtures.read(input);
        ProxyContext plain = XdsFixtures.firstProxy(yaml, input.toString());
        ProxyContext withOtherTemplate = XdsFixtures.firstProxy(yaml + "\n---\n"
                + template("other", "{kuma.io/service: nobody}", "1s"), input.toString());

        assertThat(ProxyTemplates.generate(plain)).isEqualTo(Profiles.envoy().generate(plain));
        assertThat(ProxyTemplates.generate(withOtherTemplate)).isEqualTo(Profiles.envoy().generate(plain));
    }

    private static String template(String name, String match, String connectTimeout) {
        return """
                type: ProxyTemplate
                mesh: default
                name: %s
                selectors: [{match: %s}]
                conf:
                  imports: [default-proxy]
                  modifications:
                  - cluster: {operation: patch, value: 'connectTimeout: %s'}
                """.formatted(name, match, connectTimeout);
    }
}
