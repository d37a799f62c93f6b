package io.ursa.dp;

import static io.ursa.dp.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.ca.DataplaneCertificateIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ursa-dp grpc-agent} given two control-plane instances, each a real ADS server (java-control-plane) over
 * TLS with a certificate of the control plane's CA, serving the same certificates as instances on one store do:
 * when its instance goes away the agent moves to the other, and while none answers it keeps the files it wrote.
 */
class GrpcAgentFailoverTest {
    private static final String TEMPLATE = """
            type: Dataplane
            mesh: demo
            name: web-1
            networking:
              address: 10.0.0.1
              inbound:
              - port: 8080
                tags:
                  kuma.io/service: web
                  kuma.io/protocol: grpc
            """;
    private static final String IDENTITY = "identity_cert:secret:demo";
    private static final String MESH_CA = "mesh_ca:secret:demo";

    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final TestCertificates ca = TestCertificates.newCa("demo");
    private final ServerCertificates.Ca cpCa = ServerCertificates.Ca.create("Ursa Control Plane CA");
    private final ServerCertificates.Server cpCertificate = cpCa.issue("127.0.0.1", "localhost");
    private SecretsControlPlane first;
    private SecretsControlPlane second;
    private SecretsControlPlane firstAgain;
    private Path certs;
    private Path cpCaFile;
    private Path definition;

    @BeforeEach
    void setUp() throws IOException {
        first = SecretsControlPlane.startTls(cpCertificate);
        second = SecretsControlPlane.startTls(cpCertificate);
        cpCaFile = Files.writeString(dir.resolve("cp-ca.pem"), cpCa.pem());
        certs = dir.resolve("certs");
        definition = Files.writeString(dir.resolve("web.yaml"), TEMPLATE);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (env.hookRegistered()) {
            env.signal();
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        first.close();
        second.close();
        if (firstAgain != null) {
            firstAgain.close();
        }
    }

    @Test
    void movesToTheOtherInstanceWhenItsInstanceGoesAwayAndKeepsTheFilesMeanwhile() throws Exception {
        DataplaneCertificateIssuer.Issued issued = ca.issue("web");
        serve(first, "1", issued);
        serve(second, "1", issued); // instances on one store serve the same certificates
        startAgent(first.address() + "," + second.address());
        await().until(() -> ack(first, "1"));
        Map<String, String> written = files();
        assertThat(written.get("cert.pem")).isEqualTo(issued.certificatePem());
        int firstPort = first.port();

        first.close();

        await().until(() -> ack(second, "1"));
        assertThat(files()).isEqualTo(written); // the same certificate: nothing rewritten, nothing lost
        assertThat(env.err()).contains("INFO  the certificate stream with the control plane at 127.0.0.1:"
                + firstPort + " ended (").contains("; trying the instance at 127.0.0.1:" + second.port())
                .doesNotContain("WARN");
        assertThat(env.time.sleeps()).isEmpty(); // the other instance at once, no back-off

        DataplaneCertificateIssuer.Issued rotated = ca.issue("web");
        serve(second, "2", rotated);
        await().until(() -> Files.readString(certs.resolve("cert.pem")).equals(rotated.certificatePem()));
        await().until(() -> ack(second, "2"));
    }

    @Test
    void warnsOnceWhenNoInstanceAnswersKeepsTheFilesAndSaysWhenOneIsBack() throws Exception {
        DataplaneCertificateIssuer.Issued issued = ca.issue("web");
        serve(first, "1", issued);
        serve(second, "1", issued);
        startAgent(first.address(), "--cp-address", second.address()); // the flag repeated works like commas
        await().until(() -> ack(first, "1"));
        Map<String, String> written = files();
        int firstPort = first.port();

        first.close();
        second.close();

        // several rounds over both instances, each one refused
        await().until(() -> env.time.sleeps().size() >= 3);
        assertThat(files()).isEqualTo(written);
        assertThat(count("WARN")).isEqualTo(1);
        assertThat(env.err()).contains("and no other control plane instance answers; keeping the certificates in "
                + certs.toAbsolutePath());

        firstAgain = SecretsControlPlane.startTls(cpCertificate, firstPort);
        serve(firstAgain, "1", issued);
        await().until(() -> ack(firstAgain, "1"));
        await().until(() -> env.err().contains("INFO  the control plane at 127.0.0.1:" + firstPort + " answers again"));
        assertThat(count("WARN")).isEqualTo(1);
        assertThat(count("answers again")).isEqualTo(1);
        assertThat(files()).isEqualTo(written);
    }

    @Test
    void startsWithTheInstanceTheRandomSourcePicks() throws Exception {
        DataplaneCertificateIssuer.Issued issued = ca.issue("web");
        serve(first, "1", issued);
        serve(second, "1", issued);
        env.random = () -> -1L; // the last of two

        startAgent(first.address() + "," + second.address());

        await().until(() -> ack(second, "1"));
        assertThat(first.requests()).isEmpty();
    }

    private void startAgent(String... cpAddress) {
        List<String> args = new ArrayList<>(List.of("grpc-agent", "--ca-cert-file", cpCaFile.toString(),
                "-d", definition.toString(), "--dataplane-token", RunFlagsTest.TOKEN,
                "--certificates-dir", certs.toString(), "--cp-address"));
        args.addAll(List.of(cpAddress));
        CompletableFuture.supplyAsync(() -> env.execute(args.toArray(String[]::new)), executor);
    }

    private void serve(SecretsControlPlane cp, String version, DataplaneCertificateIssuer.Issued issued) {
        cp.serve(version, SecretsControlPlane.identity(IDENTITY, issued.certificatePem(), issued.privateKeyPem()),
                SecretsControlPlane.ca(MESH_CA, ca.caPem));
    }

    private static boolean ack(SecretsControlPlane cp, String version) {
        return cp.requests().stream().anyMatch(r -> r.getVersionInfo().equals(version)
                && !r.getResponseNonce().isEmpty() && !r.hasErrorDetail());
    }

    private Map<String, String> files() throws IOException {
        return Map.of("cert.pem", Files.readString(certs.resolve("cert.pem")),
                "key.pem", Files.readString(certs.resolve("key.pem")),
                "ca.pem", Files.readString(certs.resolve("ca.pem")));
    }

    private int count(String text) {
        Matcher matcher = Pattern.compile(Pattern.quote(text)).matcher(env.err());
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
