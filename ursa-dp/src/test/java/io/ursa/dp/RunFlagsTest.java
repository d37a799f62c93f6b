package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run}'s flags, environment variables and input checks, up to the point where the agent would start. */
class RunFlagsTest {
    static final String TEMPLATE = """
            type: Dataplane
            mesh: demo
            name: {{ name }}
            networking:
              address: {{ address }}
              inbound:
              - port: 11011
                servicePort: 11012
                tags:
                  kuma.io/service: backend
                  kuma.io/protocol: http
            """;
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJOYW1lIjoiYmFja2VuZC0xIn0.c2lnbmF0dXJl";

    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private FakeEnvoy envoy;

    @BeforeEach
    void putEnvoyOnPath() throws IOException {
        envoy = FakeEnvoy.create(dir, "bin", 0, FakeEnvoy.OnTerm.EXIT);
        env.variables.put("PATH", "/nonexistent:" + envoy.dir());
    }

    @Test
    void defaultsAreKumaDps() {
        RunConfig config = configure("--name", "backend-1", "--mesh", "demo");

        assertThat(config.controlPlane().address().url()).isEqualTo(URI.create("https://localhost:5678"));
        assertThat(config.controlPlane().address().tls()).hasValueSatisfying(trust -> {
            assertThat(trust.source()).isEqualTo("the JVM's default trust store");
            assertThat(trust.caPem()).isEmpty();
        });
        assertThat(config.controlPlane().retry()).isEqualTo(new RetryPolicy(Duration.ofSeconds(3), Duration.ofMinutes(5)));
        assertThat(config.proxy().type()).isEqualTo(ProxyType.DATAPLANE);
        assertThat(config.proxy().name()).isEqualTo("backend-1");
        assertThat(config.proxy().mesh()).isEqualTo("demo");
        assertThat(config.proxy().definition()).isEmpty();
        assertThat(config.proxy().token()).isEqualTo(DataplaneToken.none());
        assertThat(config.envoy().binary()).isEqualTo(envoy.binary());
        assertThat(config.envoy().configDir()).isEmpty();
        assertThat(config.envoy().drainTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.envoy().concurrency()).isZero();
        assertThat(config.envoy().logLevel()).isEqualTo("info");
        assertThat(config.dns().enabled()).isTrue();
        assertThat(config.dns().serverPort()).isEqualTo(15053);
        assertThat(config.dns().envoyPort()).isEqualTo(15054);
        assertThat(config.dns().emptyPort()).isEqualTo(15055);
        assertThat(config.dns().upstreams()).isEmpty(); // the nameservers of /etc/resolv.conf
    }

    @Test
    void readsTheDnsFlagsAndTheirVariables() {
        env.variables.put("URSA_DNS_CORE_DNS_PORT", "25053");
        env.variables.put("URSA_DNS_ENVOY_DNS_PORT", "25054");
        env.variables.put("URSA_DNS_UPSTREAM", "10.0.0.2,[fd00::2]:5353");

        RunConfig config = configure("--name", "a", "--mesh", "m", "--dns-coredns-empty-port", "25055");

        assertThat(config.dns().serverPort()).isEqualTo(25053);
        assertThat(config.dns().envoyPort()).isEqualTo(25054);
        assertThat(config.dns().emptyPort()).isEqualTo(25055);
        assertThat(config.dns().upstreams()).extracting(DnsForwarder::describe)
                .containsExactly("10.0.0.2:53", "[fd00:0:0:0:0:0:0:2]:5353");
        assertThat(configure("--name", "a", "--mesh", "m", "--dns-enabled=false").dns().enabled()).isFalse();
        env.variables.put("URSA_DNS_ENABLED", "false");
        assertThat(configure("--name", "a", "--mesh", "m").dns().enabled()).isFalse();
        assertThat(configure("--name", "a", "--mesh", "m", "--dns-enabled").dns().enabled()).isTrue();
    }

    @Test
    void acceptsKumaDpsCoreDnsFlagsAndSaysTheyAreIgnored() {
        RunConfig config = configure("--name", "a", "--mesh", "m", "--dns-coredns-path", "/usr/bin/coredns");

        assertThat(config.dns().enabled()).isTrue();
        assertThat(env.err()).contains("WARN  kuma-dp's CoreDNS settings (--dns-coredns-path, "
                + "--dns-coredns-config-template-path, --dns-server-config-dir, --dns-prometheus-port) are ignored: "
                + "ursa-dp has a DNS server of its own");
    }

    @Test
    void rejectsBadDnsPortsNamingTheFlag() {
        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--dns-coredns-port", "70000")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: invalid --dns-coredns-port: 70000 (expected: 1-65535)\n");

        TestEnvironment second = new TestEnvironment();
        second.variables.putAll(env.variables);
        assertThat(second.execute("run", "--name", "a", "--mesh", "m", "--dns-envoy-port", "15053")).isEqualTo(1);
        assertThat(second.err()).isEqualTo("Error: invalid --dns-envoy-port: 15053 (expected: a port other than "
                + "--dns-coredns-port)\n");

        TestEnvironment third = new TestEnvironment();
        third.variables.putAll(env.variables);
        assertThat(third.execute("run", "--name", "a", "--mesh", "m", "--dns-upstream", "10.0.0.2:x")).isEqualTo(1);
        assertThat(third.err()).isEqualTo("Error: invalid --dns-upstream: \"10.0.0.2:x\" (expected: host[:port], "
                + "e.g. 10.0.0.2:53 or [fd00::2]:53)\n");
    }

    @Test
    void readsTheUrsaEnvironmentVariables() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        env.variables.put("URSA_DATAPLANE_NAME", "edge-1");
        env.variables.put("URSA_DATAPLANE_PROXY_TYPE", "egress");
        env.variables.put("URSA_CONTROL_PLANE_URL", "http://cp.example:5678");
        env.variables.put("URSA_CONTROL_PLANE_RETRY_BACKOFF", "1s");
        env.variables.put("URSA_CONTROL_PLANE_RETRY_MAX_DURATION", "1m30s");
        env.variables.put("URSA_DATAPLANE_RUNTIME_TOKEN_PATH", tokenFile.toString());
        env.variables.put("URSA_DATAPLANE_RUNTIME_BINARY_PATH", envoy.binary().toString());
        env.variables.put("URSA_DATAPLANE_RUNTIME_CONFIG_DIR", dir.resolve("conf").toString());
        env.variables.put("URSA_DATAPLANE_RUNTIME_CONCURRENCY", "2");
        env.variables.put("URSA_DATAPLANE_DRAIN_TIME", "10s");
        env.variables.put("URSA_DATAPLANE_RUNTIME_ENVOY_LOG_LEVEL", "warning");
        env.variables.put("URSA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES", "1048576");
        env.variables.put("PATH", "/nonexistent");

        RunConfig config = configure();

        assertThat(config.proxy().name()).isEqualTo("edge-1");
        assertThat(config.proxy().mesh()).isEmpty();
        assertThat(config.proxy().type()).isEqualTo(ProxyType.EGRESS);
        assertThat(config.proxy().token().value()).hasValue(TOKEN);
        assertThat(config.proxy().token().file()).hasValue(tokenFile);
        assertThat(config.proxy().maxMemoryBytes()).isEqualTo(1048576);
        assertThat(config.controlPlane().address().url()).isEqualTo(URI.create("http://cp.example:5678"));
        assertThat(config.controlPlane().address().tls()).isEmpty();
        assertThat(config.controlPlane().retry()).isEqualTo(new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(90)));
        assertThat(config.envoy().binary()).isEqualTo(envoy.binary());
        assertThat(config.envoy().configDir()).hasValue(dir.resolve("conf"));
        assertThat(config.envoy().concurrency()).isEqualTo(2);
        assertThat(config.envoy().drainTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.envoy().logLevel()).isEqualTo("warning");
    }

    @Test
    void aFlagWinsOverItsEnvironmentVariable() {
        env.variables.put("URSA_DATAPLANE_MESH", "from-env");
        env.variables.put("URSA_DATAPLANE_NAME", "from-env");
        env.variables.put("URSA_DATAPLANE_DRAIN_TIME", "10s");

        RunConfig config = configure("--mesh", "from-flag", "--drain-time", "1m");

        assertThat(config.proxy().mesh()).isEqualTo("from-flag");
        assertThat(config.proxy().name()).isEqualTo("from-env");
        assertThat(config.envoy().drainTime()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void envoyLogLevelFollowsTheAgentsLogLevel() {
        assertThat(configure("--log-level", "debug", "--name", "a", "--mesh", "m").envoy().logLevel())
                .isEqualTo("debug");
    }

    @Test
    void rendersTheDefinitionWithTheVariablesAndTakesNameAndMeshFromIt() throws IOException {
        Path file = Files.writeString(dir.resolve("dp.yaml"), TEMPLATE);

        RunConfig config = configure("-d", file.toString(), "-v", "name=backend-1", "--dataplane-var",
                "address=192.168.0.1");

        assertThat(config.proxy().name()).isEqualTo("backend-1");
        assertThat(config.proxy().mesh()).isEqualTo("demo");
        JsonNode json = json(config.proxy().definition().orElseThrow().json());
        assertThat(json.path("type").asText()).isEqualTo("Dataplane");
        assertThat(json.path("mesh").asText()).isEqualTo("demo");
        assertThat(json.path("name").asText()).isEqualTo("backend-1");
        assertThat(json.path("creationTime").asText()).isEqualTo("0001-01-01T00:00:00Z");
    }

    @Test
    void readsAnInlineDefinitionAndOneFromStdin() {
        String inline = TEMPLATE.replace("{{ name }}", "inline-1").replace("{{ address }}", "10.0.0.1");
        assertThat(configure("--dataplane", inline).proxy().name()).isEqualTo("inline-1");

        env.stdin = TEMPLATE.replace("{{ name }}", "stdin-1").replace("{{ address }}", "10.0.0.1");
        assertThat(configure("--dataplane-file", "-").proxy().name()).isEqualTo("stdin-1");
    }

    @Test
    void refusesNameOrMeshTogetherWithADefinition() throws IOException {
        Path file = Files.writeString(dir.resolve("dp.yaml"), TEMPLATE);

        assertThat(env.execute("run", "-d", file.toString(), "-v", "name=a", "-v", "address=10.0.0.1",
                "--mesh", "demo")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: --name and --mesh cannot be specified when a dataplane definition is "
                + "provided, mesh and name will be read from the dataplane definition\n");
    }

    @Test
    void printsEveryViolationOfAnInvalidDefinition() throws IOException {
        Path file = Files.writeString(dir.resolve("dp.yaml"), """
                type: Dataplane
                name: Backend.1
                networking:
                  address: 192.168.0.1
                """);

        assertThat(env.execute("run", "-d", file.toString())).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: invalid dataplane definition in " + file + ":\n")
                .contains("\n* name: invalid characters. Valid characters are numbers, lowercase latin letters and "
                        + "'-', '_' symbols.\n")
                .contains("\n* mesh: cannot be empty\n")
                .contains("\n* networking: "); // the Dataplane validator's own rules run too
        assertThat(env.hookRegistered()).isFalse();
    }

    @Test
    void refusesADefinitionThatIsNotYaml() throws IOException {
        Path file = Files.writeString(dir.resolve("dp.yaml"), "type: Dataplane\nname: [unclosed\n");

        assertThat(env.execute("run", "-d", file.toString())).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: invalid dataplane definition in " + file + ":\n* could not parse YAML");
    }

    @Test
    void refusesADefinitionOfTheWrongType() {
        assertThat(env.execute("run", "--dataplane", "type: Mesh\nname: demo\n")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: invalid proxy resource type \"Mesh\" in --dataplane, expected "
                + "Dataplane (--proxy-type is dataplane)\n");
    }

    static final String EGRESS = """
            type: ZoneEgress
            name: {{ name }}
            networking:
              address: {{ address }}
              port: 10002
              admin:
                port: 9902
            """;

    @Test
    void loadsAZoneEgressDefinitionWhichHasNoMesh() throws IOException {
        Path file = Files.writeString(dir.resolve("egress.yaml"), EGRESS);

        RunConfig config = configure("--proxy-type", "egress", "--dataplane-file", file.toString(), "-v",
                "name=egress-1", "-v", "address=192.168.0.2");

        assertThat(config.proxy().type()).isEqualTo(ProxyType.EGRESS);
        assertThat(config.proxy().name()).isEqualTo("egress-1");
        assertThat(config.proxy().mesh()).isEmpty();
        JsonNode json = json(config.proxy().definition().orElseThrow().json());
        assertThat(json.path("type").asText()).isEqualTo("ZoneEgress");
        assertThat(json.has("mesh")).isFalse();
        assertThat(json.path("networking").path("address").asText()).isEqualTo("192.168.0.2");
    }

    @Test
    void aZoneEgressNeedsANameButNoMeshWithoutADefinition() {
        RunConfig config = configure("--proxy-type", "egress", "--name", "egress-1");

        assertThat(config.proxy().type()).isEqualTo(ProxyType.EGRESS);
        assertThat(config.proxy().name()).isEqualTo("egress-1");
        assertThat(config.proxy().mesh()).isEmpty();
        assertThat(env.execute("run", "--proxy-type", "egress")).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: --name is required");
    }

    @Test
    void refusesAZoneEgressDefinitionForAnotherProxyTypeAndTheOtherWayRound() throws IOException {
        Path egress = Files.writeString(dir.resolve("egress.yaml"), EGRESS);
        Path dataplane = Files.writeString(dir.resolve("dp.yaml"), TEMPLATE);

        assertThat(env.execute("run", "-d", egress.toString(), "-v", "name=e", "-v", "address=10.0.0.1"))
                .isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: invalid proxy resource type \"ZoneEgress\" in " + egress
                + ", expected Dataplane (--proxy-type is dataplane)\n");

        TestEnvironment second = new TestEnvironment();
        second.variables.putAll(env.variables);
        assertThat(second.execute("run", "--proxy-type", "egress", "-d", dataplane.toString(), "-v", "name=b", "-v",
                "address=10.0.0.1")).isEqualTo(1);
        assertThat(second.err()).isEqualTo("Error: invalid proxy resource type \"Dataplane\" in " + dataplane
                + ", expected ZoneEgress (--proxy-type is egress)\n");
    }

    @Test
    void printsEveryViolationOfAnInvalidZoneEgressAndRefusesAMeshWithIt() throws IOException {
        Path file = Files.writeString(dir.resolve("egress.yaml"), """
                type: ZoneEgress
                name: egress-1
                networking:
                  port: 70000
                """);
        Path valid = Files.writeString(dir.resolve("valid.yaml"), EGRESS);

        assertThat(env.execute("run", "--proxy-type", "egress", "-d", file.toString())).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: invalid dataplane definition in " + file + ":\n")
                .contains("\n* networking.address: address can't be empty\n")
                .contains("\n* networking.port: port must be in the range [1, 65535]\n");

        TestEnvironment second = new TestEnvironment();
        second.variables.putAll(env.variables);
        assertThat(second.execute("run", "--proxy-type", "egress", "-d", valid.toString(), "-v", "name=e", "-v",
                "address=10.0.0.1", "--mesh", "demo")).isEqualTo(1);
        assertThat(second.err()).isEqualTo("Error: --name and --mesh cannot be specified when a dataplane definition"
                + " is provided, mesh and name will be read from the dataplane definition\n");
    }

    @Test
    void saysZoneIngressDefinitionsAreNotSupportedYet() {
        assertThat(env.execute("run", "--proxy-type", "ingress", "--dataplane", "type: ZoneIngress\nname: zi\n"))
                .isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: --proxy-type ingress needs a ZoneIngress definition, and this "
                + "version of Ursa does not support ZoneIngress resources yet\n");
    }

    @Test
    void refusesTwoDefinitions() {
        assertThat(env.execute("run", "--dataplane", "type: Dataplane", "-d", "dp.yaml")).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: --dataplane and --dataplane-file cannot be used together");
    }

    @Test
    void refusesAMissingDefinitionFile() {
        assertThat(env.execute("run", "-d", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: could not read the dataplane file " + dir.resolve("nope.yaml")
                + ": it does not exist\n");
    }

    @Test
    void requiresANameAndAMeshWithoutADefinition() {
        assertThat(env.execute("run", "--mesh", "demo")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: --name is required (or URSA_DATAPLANE_NAME, or a dataplane definition "
                + "with --dataplane-file)\n");

        TestEnvironment second = new TestEnvironment();
        assertThat(second.execute("run", "--name", "backend-1")).isEqualTo(1);
        assertThat(second.err()).startsWith("Error: --mesh is required");
    }

    @Test
    void rejectsAnUnknownProxyType() {
        assertThat(env.execute("run", "--proxy-type", "sidecar", "--name", "a", "--mesh", "m")).isEqualTo(2);
        assertThat(env.err()).startsWith("Error: Invalid value for option '--proxy-type': invalid proxy type "
                + "\"sidecar\" (expected: dataplane, ingress, egress)\n");
    }

    @Test
    void hasNoAdminPortFlag() {
        assertThat(env.execute("run", "--admin-port=9901", "--name", "a", "--mesh", "m")).isEqualTo(2);
        assertThat(env.err()).startsWith("Error: Unknown option: '--admin-port=9901'\nRun 'ursa-dp run --help' for usage.");
    }

    @Test
    void rejectsACpAddressThatIsNotAnHttpUrl() {
        assertThat(env.execute("run", "--cp-address", "grpc://localhost:5678", "--name", "a", "--mesh", "m"))
                .isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: invalid --cp-address \"grpc://localhost:5678\" (expected: the URL of "
                + "the control plane's DP server, e.g. https://localhost:5678, or http://host:port for a plaintext "
                + "one)\n");
    }

    @Test
    void takesSeveralControlPlaneInstancesSeparatedByCommasOrByRepeatingTheFlag() {
        RunConfig commas = configure("--mesh", "m", "--name", "a", "--cp-address",
                "https://cp-1.example:5678, https://10.0.0.2:5678,https://[fd00::3]:5678");
        RunConfig repeated = configure("--mesh", "m", "--name", "a", "--cp-address", "https://cp-1.example:5678",
                "--cp-address", "https://10.0.0.2:5678,https://[fd00::3]:5678");

        for (RunConfig config : List.of(commas, repeated)) {
            ControlPlanes controlPlanes = config.controlPlane().addresses();
            assertThat(controlPlanes.origins()).containsExactly("https://cp-1.example:5678", "https://10.0.0.2:5678",
                    "https://[fd00::3]:5678");
            // one trust for all: the JVM's default trust store here
            assertThat(controlPlanes.addresses()).allSatisfy(address ->
                    assertThat(address.tls()).containsSame(controlPlanes.first().tls().orElseThrow()));
        }
        assertThat(configure("--mesh", "m", "--name", "a", "--cp-address", "https://a:5678,https://a:5678")
                .controlPlane().addresses().size()).isEqualTo(1); // the same twice is one instance
    }

    @Test
    void takesSeveralControlPlaneInstancesFromTheVariable() {
        env.variables.put("URSA_CONTROL_PLANE_URL", "http://cp-1:5678,http://cp-2:5678");

        RunConfig config = configure("--mesh", "m", "--name", "a");

        assertThat(config.controlPlane().addresses().origins()).containsExactly("http://cp-1:5678", "http://cp-2:5678");
        assertThat(config.controlPlane().addresses().tls()).isEmpty();
    }

    @Test
    void refusesInstancesThatMixHttpAndHttpsNamingBoth() {
        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--cp-address",
                "https://cp-1:5678,http://cp-2:5678")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: invalid --cp-address \"http://cp-2:5678\": it is http but"
                + " \"https://cp-1:5678\" is https (expected: one scheme for every control plane instance, as they"
                + " share one trust)\n");
    }

    @Test
    void namesTheBadEntryOfAList() {
        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--cp-address",
                "https://cp-1:5678,cp-2:5678")).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: invalid --cp-address \"cp-2:5678\" (expected: the URL of the"
                + " control plane's DP server");

        env.err.getBuffer().setLength(0);
        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--cp-address",
                "https://cp-1:5678,,https://cp-2:5678")).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: invalid --cp-address \"https://cp-1:5678,,https://cp-2:5678\": an"
                + " empty entry");
    }

    @Test
    void rejectsABadDurationInARetryVariable() {
        env.variables.put("URSA_CONTROL_PLANE_RETRY_BACKOFF", "soon");

        assertThat(env.execute("run", "--name", "a", "--mesh", "m")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: invalid URSA_CONTROL_PLANE_RETRY_BACKOFF: invalid duration: \"soon\" "
                + "(expected: a duration such as 30s, 5m or 1m30s)\n");
    }

    @Test
    void rejectsAnUnknownEnvoyLogLevel() {
        assertThat(env.execute("run", "--envoy-log-level", "loud", "--name", "a", "--mesh", "m")).isEqualTo(1);
        assertThat(env.err()).startsWith("Error: invalid --envoy-log-level: \"loud\"");
    }

    @Test
    void rejectsAnUnknownXdsProtocol() {
        assertThat(env.execute("run", "--xds-protocol", "incremental", "--name", "a", "--mesh", "m")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: invalid --xds-protocol: \"incremental\" (expected: delta or sotw)\n");
    }

    @Test
    void rejectsATokenFileThatDoesNotExist() {
        Path missing = dir.resolve("token");

        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--dataplane-token-file", missing.toString()))
                .isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: could not read the dataplane token file " + missing
                + ": it does not exist\n");
    }

    @Test
    void rejectsATokenThatIsNotAJwt() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "not a token");

        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--dataplane-token-file", file.toString()))
                .isEqualTo(1);
        assertThat(env.err()).startsWith("Error: the dataplane token file " + file + " does not hold a valid token");
    }

    @Test
    void anInlineTokenWinsOverTheTokenFile() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), TOKEN);
        String inline = "aGVhZGVy.cGF5bG9hZA.c2ln";

        DataplaneToken token = configure("--name", "a", "--mesh", "m", "--dataplane-token-file", file.toString(),
                "--dataplane-token", inline).proxy().token();

        assertThat(token.value()).hasValue(inline);
        assertThat(token.file()).isEmpty();
    }

    @Test
    void rejectsACaCertificateFileThatIsMissingOrNotPem() throws IOException {
        Path missing = dir.resolve("ca.pem");
        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--ca-cert-file", missing.toString()))
                .isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: could not read the CA certificate file " + missing
                + ": it does not exist\n");

        TestEnvironment second = new TestEnvironment();
        second.variables.putAll(env.variables);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThat(second.execute("run", "--name", "a", "--mesh", "m", "--ca-cert-file", garbage.toString()))
                .isEqualTo(1);
        assertThat(second.err()).startsWith("Error: could not read a certificate from --ca-cert-file " + garbage);
    }

    @Test
    void verifiesAgainstTheCaFileOrTheInlineCaWhichWins() throws IOException {
        ServerCertificates.Ca fileCa = ServerCertificates.Ca.create("file CA");
        ServerCertificates.Ca inlineCa = ServerCertificates.Ca.create("inline CA");
        Path file = Files.writeString(dir.resolve("ca.pem"), fileCa.pem());

        ControlPlaneTrust fromFile = configure("--name", "a", "--mesh", "m", "--ca-cert-file", file.toString())
                .controlPlane().address().tls().orElseThrow();
        env.variables.put("URSA_CONTROL_PLANE_CA_CERT", inlineCa.pem());
        ControlPlaneTrust inline = configure("--name", "a", "--mesh", "m", "--ca-cert-file", file.toString())
                .controlPlane().address().tls().orElseThrow();

        assertThat(fromFile.source()).isEqualTo("the CA in --ca-cert-file " + file);
        assertThat(fromFile.caPem()).hasValue(fileCa.pem());
        assertThat(inline.source()).isEqualTo("the CA in URSA_CONTROL_PLANE_CA_CERT");
        assertThat(inline.caPem()).hasValue(inlineCa.pem());
    }

    @Test
    void takesTheCaFileFromItsVariableAndSaysItIsUnusedOverHttp() throws IOException {
        Path file = Files.writeString(dir.resolve("ca.pem"), ServerCertificates.Ca.create("CA").pem());
        env.variables.put("URSA_CONTROL_PLANE_CA_CERT_FILE", file.toString());

        RunConfig config = configure("--name", "a", "--mesh", "m", "--cp-address", "http://cp:5678");

        assertThat(config.controlPlane().address().tls()).isEmpty();
        assertThat(env.err()).contains("WARN  the CA in --ca-cert-file " + file + " is not used: the control plane"
                + " at http://cp:5678 is plaintext (http)");
    }

    @Test
    void failsClearlyWhenEnvoyIsNotOnThePath() {
        env.variables.put("PATH", dir.resolve("empty").toString());

        assertThat(env.execute("run", "--name", "a", "--mesh", "m")).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: could not find the Envoy binary \"envoy\" on PATH (set --binary-path)\n");
    }

    @Test
    void failsClearlyWhenTheBinaryPathDoesNotExist() {
        Path missing = dir.resolve("opt/envoy");

        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--binary-path", missing.toString())).isEqualTo(1);
        assertThat(env.err()).isEqualTo("Error: could not find the Envoy binary \"" + missing + "\": there is no "
                + "executable file at that path (set --binary-path)\n");
    }

    @Test
    void aBinaryThatIsNotEnvoyIsNamedWithTheFirstLineOfItsBannerOnly() throws Exception {
        Path notEnvoy = dir.resolve("not-envoy");
        java.nio.file.Files.writeString(notEnvoy, "#!/bin/sh\necho 'ls (GNU coreutils) 9.1'\necho 'Copyright (C) 2022'"
                + "\necho\necho 'Written by someone.'\n");
        notEnvoy.toFile().setExecutable(true);

        assertThat(env.execute("run", "--name", "a", "--mesh", "m", "--binary-path", notEnvoy.toString()))
                .isEqualTo(1);
        assertThat(env.err()).contains("Error: could not understand the output of `" + notEnvoy + " --version`"
                + " (expected a line such as \"version: <commit>/1.24.2/Clean/RELEASE/BoringSSL\"; is it Envoy?): ls"
                + " (GNU coreutils) 9.1 (and 2 more lines)\n").doesNotContain("Copyright").doesNotContain("Written by");
    }

    @Test
    void listsTheEnvironmentVariablesInTheHelp() {
        assertThat(env.execute("run", "--help")).isZero();
        assertThat(env.out()).contains("--cp-address=URL").contains("URSA_CONTROL_PLANE_URL")
                .contains("URSA_CONTROL_PLANE_RETRY_MAX_DURATION").doesNotContain("--admin-port")
                .contains("--dns-coredns-port=PORT").contains("URSA_DNS_CORE_DNS_PORT")
                .doesNotContain("--dns-coredns-path");
    }

    @Test
    void printsTheVersion() {
        assertThat(env.execute("version")).isZero();
        assertThat(env.out()).isEqualTo("Ursa: 0.0.1\n");

        TestEnvironment detailed = new TestEnvironment();
        assertThat(detailed.execute("version", "--detailed")).isZero();
        assertThat(detailed.out()).startsWith("Product:    Ursa\nVersion:    0.0.1\nGit Tag:    v0.0.1\n");
    }

    private RunConfig configure(String... args) {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        CommandLine.ParseResult parsed = UrsaDp.commandLine(env.build()).parseArgs(all.toArray(String[]::new));
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        return run.configure(env.log());
    }

    private static JsonNode json(String text) {
        try {
            return Json.json().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
