package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import io.ursa.xds.snapshot.SnapshotAssembler;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole proxyless gRPC profile, one golden per input; what grpc-xds does with it is in GrpcXdsTest. */
class GrpcProfileTest {
    static final Path FOLDER = XdsFixtures.TESTDATA.resolve("grpc");
    static final String INPUT = ".input.yaml";

    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenEnvoyProtosAndIsAConsistentSnapshot(String name) {
        ResourceSet resources = generate(name);

        StrictEnvoyProtos.check(resources);
        SnapshotAssembler.strict().assemble(resources, name);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() {
        assertThat(cases()).contains("single-service", "two-meshes", "split-80-20", "default-policies",
                "server-two-inbounds", "mtls-strict", "mtls-permissive", "mtls-no-permission");
    }

    @Test
    void isTheProfileOfProxylessProxies() {
        assertThat(Profiles.forKind(ProxyKind.GRPC)).isSameAs(Profiles.grpc());
        assertThat(Profiles.grpc().generators()).extracting(Generator::name)
                .containsExactly("GrpcServerGenerator", "GrpcClientGenerator", "SecretsGenerator");
    }

    @Test
    void generatesTheSameVersionsForTheSameInput() {
        assertThat(Versions.of(generate("split-80-20"))).isEqualTo(Versions.of(generate("split-80-20")));
    }

    static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT)).withMetadata(ProxyMetadata.grpc());
    }

    private static ResourceSet generate(String name) {
        return Profiles.forKind(ProxyKind.GRPC).generate(proxy(name));
    }
}
