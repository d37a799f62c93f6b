package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.codec.Json;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.ApiServer;
import io.ursa.apiserver.ApiServerConfig;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config control-planes add} with kumactl's TLS and token flags, and every later request, against HTTPS
 * stubs whose certificates are made here: the CA is trusted only when given, the host name is checked, the token
 * goes with every request and never into a message, and 401, 403 and scheme mistakes say what to do.
 */
class SecureControlPlaneTest {
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJOYW1lIjoiYWRtaW4ifQ.c2lnbmF0dXJl";
    private static final String EMPTY_LIST = "{\"total\":0,\"items\":[],\"next\":null}";

    @TempDir
    Path home;

    private final List<AutoCloseable> servers = new ArrayList<>();
    private TestCertificates.Ca ca;
    private Path caFile;
    private CtlRunner ctl;

    @BeforeEach
    void makeCa() {
        ca = TestCertificates.newCa("Ursa Control Plane CA");
        caFile = ca.writePem(home.resolve("ca.pem"));
        ctl = new CtlRunner(home);
    }

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private ApiStub https(TestCertificates.Server certificate) {
        ApiStub stub = ApiStub.tls(certificate.sslContext());
        servers.add(stub);
        return stub;
    }

    /** A stub whose certificate, signed by {@link #ca}, names 127.0.0.1 and localhost. */
    private ApiStub trustedStub() {
        return https(ca.issue(List.of("localhost"), List.of("127.0.0.1")));
    }

    @Test
    void addWithTheCaFileTrustsTheServerAndStoresKumactlsFieldsPrivately() throws Exception {
        ApiStub stub = trustedStub();

        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "secure", "--address",
                stub.address(), "--ca-cert-file", caFile.toString(), "--auth-type", "tokens", "--auth-conf",
                "token=" + TOKEN);

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out())
                .isEqualTo("added Control Plane \"secure\"\nswitched active Control Plane to \"secure\"\n");
        assertThat(added.err()).isEmpty();
        assertThat(Files.readString(ctl.configFile())).isEqualTo("""
                contexts:
                - controlPlane: local
                  name: local
                - controlPlane: secure
                  name: secure
                controlPlanes:
                - coordinates:
                    apiServer:
                      url: http://localhost:5681
                  name: local
                - coordinates:
                    apiServer:
                      authConf:
                        token: %s
                      authType: tokens
                      caCertFile: %s
                      url: %s
                  name: secure
                currentContext: secure
                """.formatted(TOKEN, caFile, stub.address()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ctl.configFile())))
                .isEqualTo("rw-------");
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/");
            assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
        });
    }

    @Test
    void addWithAnotherCaFailsSayingWhereTheControlPlanesCaIs() {
        TestCertificates.Ca other = TestCertificates.newCa("Someone Else");
        ApiStub stub = https(other.issue(List.of("localhost"), List.of("127.0.0.1")));

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "secure", "--address",
                stub.address(), "--ca-cert-file", caFile.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the control plane at " + stub.address() + " presented a"
                + " certificate that the CA in " + caFile + " does not sign (issued by CN=Someone Else); pass the"
                + " control plane's CA with --ca-cert-file (it is served at GET /control-plane/ca.pem on the control"
                + " plane's API)\n");
        assertThat(ctl.configFile()).doesNotExist();
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void addWithoutACaFileChecksTheJvmTrustStoreWhichDoesNotKnowTheControlPlanesCa() {
        ApiStub stub = trustedStub();

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "secure", "--address",
                stub.address());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: the control plane at " + stub.address() + " presented a"
                + " certificate that the JVM's default trust store does not sign (issued by CN=Ursa Control Plane CA);"
                + " pass the control plane's CA with --ca-cert-file");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void addRefusesACertificateThatDoesNotNameTheHost() {
        ApiStub stub = https(ca.issue(List.of("cp.example"), List.of("10.0.0.5")));

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "secure", "--address",
                stub.address(), "--ca-cert-file", caFile.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the certificate of the control plane at " + stub.address()
                + " does not name 127.0.0.1 (it names DNS:cp.example, IP:10.0.0.5); use an address the certificate"
                + " names, or add 127.0.0.1 to the control plane's general.tlsSubjectAltNames\n");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void addRefusesAnExpiredCertificateNamingItsEnd() {
        Instant notAfter = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        ApiStub stub = https(ca.issue(List.of("localhost"), List.of("127.0.0.1"), notAfter.minus(Duration.ofDays(30)),
                notAfter));

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "secure", "--address",
                stub.address(), "--ca-cert-file", caFile.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the control plane at " + stub.address() + " presented a"
                + " certificate (CN=ursa-cp) that expired at " + notAfter + "; renew it on the control plane, or check"
                + " this machine's clock\n");
    }

    @Test
    void skipVerifyConnectsToAnyCertificateWarnsAtAddAndInDebugOnUse() {
        ApiStub stub = https(TestCertificates.newCa("Someone Else").issue(List.of("cp.example"), List.of()))
                .answer("GET", "/meshes", 200, EMPTY_LIST);

        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "lab", "--address",
                stub.address(), "--skip-verify");
        CtlRunner.Result quiet = ctl.run("get", "meshes");
        CtlRunner.Result debug = ctl.run("get", "meshes", "--log-level", "debug");

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.err()).isEqualTo("warning: --skip-verify: ursactl will not check the certificate of control"
                + " plane \"lab\", so anyone on the network path can read and change its traffic, token included;"
                + " pass the control plane's CA with --ca-cert-file instead (it is served at GET"
                + " /control-plane/ca.pem on the control plane's API)\n");
        assertThat(ctl.run("config", "view").out()).contains("      skipVerify: true\n");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(debug.err()).startsWith("debug: the certificate of control plane \"lab\" is not checked"
                + " (skipVerify): anyone on the path to 127.0.0.1 can read and change this traffic, token included\n"
                + "debug: GET " + stub.address() + "/meshes -> 200");
    }

    @Test
    void sendsTheTokenWithEveryRequestAndNeverPrintsIt() {
        ApiStub stub = trustedStub()
                .answer("GET", "/meshes", 200, EMPTY_LIST)
                .answer("PUT", "/meshes/demo", 201, "")
                .answer("DELETE", "/meshes/demo", 200, "")
                .answer("POST", "/tokens/dataplane", 200, "text/plain", "dp.token.jwt");
        add("secure", stub, "--ca-cert-file", caFile.toString(), "--auth-type", "tokens", "--auth-conf",
                "token=" + TOKEN);

        List<CtlRunner.Result> results = List.of(
                ctl.run("get", "meshes", "--log-level", "debug"),
                ctl.runWithStdin("type: Mesh\nname: demo\n", "apply", "-f", "-"),
                ctl.run("delete", "mesh", "demo"),
                ctl.run("generate", "dataplane-token", "--mesh", "demo"),
                ctl.run("config", "view"));

        assertThat(results).allSatisfy(r -> {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out() + r.err()).doesNotContain(TOKEN);
        });
        assertThat(stub.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /", "GET /meshes", "PUT /meshes/demo", "DELETE /meshes/demo", "POST /tokens/dataplane");
        assertThat(stub.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(results.get(4).out()).contains("""
                      authConf:
                        token: REDACTED
                """);
        assertThat(ctl.run("config", "view", "--raw").out()).contains("        token: " + TOKEN + "\n");
    }

    @Test
    void aRefusedTokenSaysWhyAndHowToStoreANewOne() {
        ApiStub stub = trustedStub().answer("GET", "/meshes", 401,
                "{\"title\":\"Invalid authentication data\",\"details\":\"expired\"}");
        add("secure", stub, "--ca-cert-file", caFile.toString(), "--auth-type", "tokens", "--auth-conf",
                "token=" + TOKEN);

        CtlRunner.Result result = ctl.run("get", "meshes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the token for control plane \"secure\" was refused: expired;"
                + " generate a new one with ursactl generate user-token and store it with ursactl config"
                + " control-planes add --overwrite --name secure --address " + stub.address() + " --ca-cert-file "
                + caFile + " --auth-type tokens --auth-conf token=NEW_TOKEN\n");
    }

    @Test
    void doesNotFollowARedirectWithTheToken() {
        ApiStub elsewhere = trustedStub();
        ApiStub stub = trustedStub().redirect("GET", "/meshes", 302, elsewhere.address() + "/meshes");
        add("secure", stub, "--ca-cert-file", caFile.toString(), "--auth-type", "tokens", "--auth-conf",
                "token=" + TOKEN);

        CtlRunner.Result result = ctl.run("get", "meshes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the control plane at " + stub.address() + " answered GET /meshes"
                + " with a redirect (302) to " + elsewhere.address() + "/meshes, which ursactl does not follow with a"
                + " token (it would send the token there); if that is the control plane's address, add it under that"
                + " address\n");
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void addRefusesATokenTheControlPlaneRefuses() {
        ApiStub stub = trustedStub().answer("GET", "/", 401,
                "{\"title\":\"Invalid authentication data\",\"details\":\"revoked\"}");

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "secure", "--address",
                stub.address(), "--ca-cert-file", caFile.toString(), "--auth-type", "tokens", "--auth-conf",
                "token=" + TOKEN);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the control plane at " + stub.address() + " refused the token"
                + " given with --auth-conf: revoked (expected: a whole, unexpired user token, e.g. from ursactl"
                + " generate user-token)\n");
        assertThat(ctl.configFile()).doesNotExist();
    }

    @Test
    void accessDeniedShowsWhatIsMissingAndWithoutATokenHowToStoreOne() {
        String denied = "{\"title\":\"Access Denied\",\"details\":\"user \\\"%s\\\" cannot CREATE Mesh \\\"demo\\\"\"}";
        ApiStub withToken = trustedStub().answer("PUT", "/meshes/demo", 403,
                denied.formatted("alice/team-a,mesh-system:authenticated"));
        ApiStub anonymous = https(ca.issue(List.of("localhost"), List.of("127.0.0.1"))).answer("PUT", "/meshes/demo",
                403, denied.formatted("mesh-system:anonymous/mesh-system:unauthenticated"));
        add("alice", withToken, "--ca-cert-file", caFile.toString(), "--auth-type", "tokens", "--auth-conf",
                "token=" + TOKEN);
        CtlRunner.Result asAlice = ctl.runWithStdin("type: Mesh\nname: demo\n", "apply", "-f", "-");
        add("anonymous", anonymous, "--ca-cert-file", caFile.toString());
        CtlRunner.Result asAnonymous = ctl.runWithStdin("type: Mesh\nname: demo\n", "apply", "-f", "-");

        assertThat(asAlice.exitCode()).isEqualTo(1);
        assertThat(asAlice.err()).isEqualTo("Error: could not apply document 1 (Mesh \"demo\"): Access Denied (user"
                + " \"alice/team-a,mesh-system:authenticated\" cannot CREATE Mesh \"demo\")\n");
        assertThat(asAnonymous.exitCode()).isEqualTo(1);
        assertThat(asAnonymous.err()).isEqualTo("Error: could not apply document 1 (Mesh \"demo\"): Access Denied"
                + " (user \"mesh-system:anonymous/mesh-system:unauthenticated\" cannot CREATE Mesh \"demo\")\n"
                + "Hint: ursactl sent no user token to control plane \"anonymous\", so it acted as an anonymous user;"
                + " store a token with ursactl config control-planes add --overwrite --name anonymous --address "
                + anonymous.address() + " --ca-cert-file " + caFile + " --auth-type tokens --auth-conf token=TOKEN\n");
    }

    @Test
    void httpsToAPlainHttpPortSaysToUseHttp() {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        ApiServer plain = new ApiServer(manager, ResourceTypes.standard(),
                ApiServerConfig.defaults().withAddress("127.0.0.1", 0), () -> Json.json().createObjectNode(),
                "0.0.0-test", "test-instance");
        plain.start();
        servers.add(plain);

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "x", "--address",
                "https://127.0.0.1:" + plain.port(), "--ca-cert-file", caFile.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the server at 127.0.0.1:" + plain.port() + " speaks plain HTTP,"
                + " not HTTPS: use http://127.0.0.1:" + plain.port() + ", or the control plane's HTTPS port (5682 by"
                + " default)\n");
        assertThat(ctl.configFile()).doesNotExist();
    }

    @Test
    void httpToTheHttpsPortSaysToUseHttps() {
        ApiStub stub = trustedStub();

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "x", "--address",
                "http://127.0.0.1:" + stub.port());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: the server at 127.0.0.1:" + stub.port() + " speaks HTTPS, not"
                + " plain HTTP: use https://127.0.0.1:" + stub.port() + " (and pass the control plane's CA with"
                + " --ca-cert-file)\n");
        assertThat(ctl.configFile()).doesNotExist();
    }

    @Test
    void warnsWhenATokenWouldCrossTheNetworkInClearTextToAnotherHost() throws Exception {
        InetAddress external = nonLoopbackAddress();
        Assumptions.assumeTrue(external != null, "this host has no non-loopback IPv4 address");
        ApiStub local = ApiStub.plain();
        ApiStub remote = ApiStub.plain(external);
        servers.add(local);
        servers.add(remote);

        CtlRunner.Result toLoopback = ctl.run("config", "control-planes", "add", "--name", "local-token",
                "--address", local.address(), "--auth-type", "tokens", "--auth-conf", "token=" + TOKEN);
        CtlRunner.Result toRemote = ctl.run("config", "control-planes", "add", "--name", "remote", "--address",
                remote.address(), "--auth-type", "tokens", "--auth-conf", "token=" + TOKEN);

        assertThat(toLoopback.exitCode()).as(toLoopback.toString()).isZero();
        assertThat(toLoopback.err()).isEmpty();
        assertThat(toRemote.exitCode()).as(toRemote.toString()).isZero();
        assertThat(toRemote.err()).isEqualTo("warning: the token for control plane \"remote\" will cross the network"
                + " in clear text over http://; use the control plane's HTTPS API (https://"
                + external.getHostAddress() + ":5682 by default) with --ca-cert-file\n");
        assertThat(remote.requests()).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address;
                }
            }
        }
        return null;
    }

    @Test
    void refusesBadTlsAndAuthFlagsNamingTheFlag() {
        String https = "https://127.0.0.1:1";
        assertUsageError(List.of("--address", https, "--auth-type", "basic", "--auth-conf", "token=x"),
                "invalid --auth-type \"basic\" (expected: tokens)");
        assertUsageError(List.of("--address", https, "--auth-type", "tokens"),
                "--auth-type tokens needs --auth-conf token=TOKEN (a user token, e.g. from ursactl generate"
                        + " user-token)");
        assertUsageError(List.of("--address", https, "--auth-type", "tokens", "--auth-conf", "tok=x"),
                "invalid --auth-conf key \"tok\" for --auth-type tokens (expected: token=TOKEN)");
        assertUsageError(List.of("--address", https, "--auth-conf", "token=x"),
                "--auth-conf needs --auth-type (the only type is tokens)");
        assertUsageError(List.of("--address", https, "--ca-cert-file", caFile.toString(), "--skip-verify"),
                "--ca-cert-file and --skip-verify exclude each other: either the certificate is checked against"
                        + " that CA, or it is not checked at all");
        assertUsageError(List.of("--address", "http://127.0.0.1:1", "--ca-cert-file", caFile.toString()),
                "--ca-cert-file needs an https:// address (got http://127.0.0.1:1; the control plane's HTTPS API"
                        + " listens on port 5682 by default)");
        assertUsageError(List.of("--address", https, "--ca-cert-file", home.resolve("nope.pem").toString()),
                "invalid --ca-cert-file: could not read the CA file " + home.resolve("nope.pem") + ": no such file");
        assertUsageError(List.of("--address", https, "--client-cert-file", "c.pem", "--client-key-file", "k.pem"),
                "--client-cert-file is not supported: Ursa's API authenticates users by token (use --auth-type tokens"
                        + " --auth-conf token=TOKEN)");
    }

    @Test
    void refusesACaFileWithoutACertificate() throws Exception {
        Path notPem = Files.writeString(home.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n");

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "x", "--address",
                "https://127.0.0.1:1", "--ca-cert-file", notPem.toString());

        assertThat(result.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(result.err()).startsWith("Error: invalid --ca-cert-file: the CA file " + notPem);
    }

    private void assertUsageError(List<String> flags, String message) {
        List<String> args = new ArrayList<>(List.of("config", "control-planes", "add", "--name", "x"));
        args.addAll(flags);

        CtlRunner.Result result = ctl.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(result.err()).isEqualTo("Error: " + message + "\nRun 'ursactl config control-planes add --help'"
                + " for usage.\n");
        assertThat(ctl.configFile()).doesNotExist();
    }

    private void add(String name, ApiStub stub, String... flags) {
        List<String> args = new ArrayList<>(List.of("config", "control-planes", "add", "--name", name, "--address",
                stub.address()));
        args.addAll(List.of(flags));
        CtlRunner.Result result = ctl.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
