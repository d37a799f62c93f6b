package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.golden.GoldenJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code meshCa} of a MeshInsight, through the REST API over a real manager (with the standard CA plugins)
 * and store: what it shows for builtin and provided CAs, for a CA that cannot be used, and with mTLS off.
 */
class MeshInsightCaTest {
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start();
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void builtinCaShowsTheFingerprintAndExpiryOfTheCertificateInItsSecret() {
        api.seed(builtinMesh("alpha", "ca-1", "STRICT"));
        X509Certificate stored = storedBuiltinCertificate("alpha", "ca-1");

        Reply reply = api.get("/mesh-insights/alpha");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode ca = reply.json().path("meshCa");
        assertThat(ca.path("backend").asText()).isEqualTo("ca-1");
        assertThat(ca.path("type").asText()).isEqualTo("builtin");
        assertThat(ca.path("mode").asText()).isEqualTo("STRICT");
        assertThat(ca.path("fingerprint").asText()).isEqualTo(TestCa.sha256(stored))
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(ca.path("notAfter").asText()).isEqualTo(stored.getNotAfter().toInstant().toString());
        assertThat(ca.has("error")).isFalse();
    }

    @Test
    void meshInsightWithTheCaKeepsKumasFieldsAndAddsOnlyMeshCa() {
        api.seed(builtinMesh("alpha", "ca-1", "PERMISSIVE"));

        Reply reply = api.get("/mesh-insights/alpha");

        GoldenJson.assertMatches(reply.body(), "testdata/api/mesh-insight-ca.golden.json",
                ResourceEndpointsTest.TIMES.fields("fingerprint", "notAfter"));
    }

    @Test
    void meshesWithTheirOwnBuiltinCasShowDifferentFingerprints() {
        api.seed(builtinMesh("alpha", "ca-1", "STRICT") + "---\n" + builtinMesh("beta", "ca-1", "STRICT"));

        Map<String, String> fingerprints = fingerprintsFromList();

        assertThat(fingerprints).containsOnlyKeys("alpha", "beta");
        assertThat(fingerprints.get("alpha")).isNotEqualTo(fingerprints.get("beta"))
                .isEqualTo(TestCa.sha256(storedBuiltinCertificate("alpha", "ca-1")));
        assertThat(fingerprints.get("beta")).isEqualTo(TestCa.sha256(storedBuiltinCertificate("beta", "ca-1")));
    }

    @Test
    void meshesWithTheSameProvidedCaShowTheSameFingerprint() {
        TestCa shared = TestCa.create("shared-root");
        String cert = "inline: " + TestCa.inline(shared.certificatePem());
        String key = "inline: " + TestCa.inline(shared.keyPem());
        api.seed(providedMesh("alpha", "STRICT", cert, key) + "---\n" + providedMesh("beta", "PERMISSIVE", cert, key));

        Map<String, String> fingerprints = fingerprintsFromList();

        String expected = TestCa.sha256(TestCa.certificate(
                shared.certificatePem().getBytes(StandardCharsets.US_ASCII)));
        assertThat(fingerprints).containsOnly(Map.entry("alpha", expected), Map.entry("beta", expected));
        JsonNode beta = api.get("/mesh-insights/beta").json().path("meshCa");
        assertThat(beta.path("type").asText()).isEqualTo("provided");
        assertThat(beta.path("mode").asText()).isEqualTo("PERMISSIVE");
        assertThat(beta.path("notAfter").asText()).isEqualTo("2040-01-01T00:00:00Z");
    }

    @Test
    void providedCaWhoseFileWasRemovedShowsTheErrorAndTheRequestSucceeds(@TempDir Path dir) throws Exception {
        TestCa ca = TestCa.create("from-files");
        Path certFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path keyFile = Files.writeString(dir.resolve("ca.key"), ca.keyPem());
        api.seed(providedMesh("files", "STRICT", "file: " + certFile, "file: " + keyFile));
        Files.delete(certFile);

        Reply one = api.get("/mesh-insights/files");
        Reply list = api.get("/mesh-insights");

        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        JsonNode shown = one.json().path("meshCa");
        assertThat(shown.path("backend").asText()).isEqualTo("ca-1");
        assertThat(shown.path("type").asText()).isEqualTo("provided");
        assertThat(shown.path("mode").asText()).isEqualTo("STRICT");
        assertThat(shown.path("error").asText())
                .isEqualTo("the provided CA ca-1 of mesh files cannot be used: could not load data: open "
                        + certFile + ": no such file or directory");
        assertThat(shown.has("fingerprint")).isFalse();
        assertThat(shown.has("notAfter")).isFalse();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.json().path("items").get(0).path("meshCa")).isEqualTo(shown);
    }

    @Test
    void builtinCaWhoseSecretsAreGoneShowsTheError() {
        api.seed(builtinMesh("alpha", "ca-1", "STRICT"));
        // The manager refuses to delete a Secret a backend uses; the store underneath does not check.
        api.manager.store().delete(new ResourceKey(ResourceTypes.SECRET, "alpha", "alpha.ca-builtin-cert-ca-1"));

        Reply reply = api.get("/mesh-insights/alpha");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("meshCa").path("error").asText())
                .isEqualTo("the builtin CA ca-1 of mesh alpha has no Secret alpha.ca-builtin-cert-ca-1 "
                        + "(it is created when the mesh is created or updated)");
    }

    @Test
    void meshWithMtlsOffShowsNoCa() {
        api.seed(Fixtures.MESH_DEMO);
        api.seed("""
                type: Mesh
                name: listed-not-enabled
                skipCreatingInitialPolicies: ["*"]
                mtls:
                  backends:
                  - name: ca-1
                    type: builtin
                """);

        List<JsonNode> items = List.of(api.get("/mesh-insights/demo").json(),
                api.get("/mesh-insights/listed-not-enabled").json());

        assertThat(items).allSatisfy(insight -> {
            assertThat(insight.path("type").asText()).isEqualTo("MeshInsight");
            assertThat(insight.has("meshCa")).isFalse();
        });
        assertThat(api.get("/mesh-insights").json().path("items")).allSatisfy(
                insight -> assertThat(insight.has("meshCa")).isFalse());
    }

    private Map<String, String> fingerprintsFromList() {
        Reply reply = api.get("/mesh-insights");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        Map<String, String> fingerprints = new TreeMap<>();
        for (JsonNode insight : reply.json().path("items")) {
            fingerprints.put(insight.path("name").asText(), insight.path("meshCa").path("fingerprint").asText());
        }
        return fingerprints;
    }

    private X509Certificate storedBuiltinCertificate(String mesh, String backend) {
        byte[] pem = api.manager.get(ResourceTypes.SECRET, mesh, mesh + ".ca-builtin-cert-" + backend)
                .orElseThrow().spec().bytes();
        return TestCa.certificate(pem);
    }

    private static String builtinMesh(String name, String backend, String mode) {
        return """
                type: Mesh
                name: %s
                skipCreatingInitialPolicies: ["*"]
                mtls:
                  enabledBackend: %s
                  backends:
                  - name: %s
                    type: builtin
                    mode: %s
                """.formatted(name, backend, backend, mode);
    }

    private static String providedMesh(String name, String mode, String certSource, String keySource) {
        return """
                type: Mesh
                name: %s
                skipCreatingInitialPolicies: ["*"]
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: provided
                    mode: %s
                    conf:
                      cert:
                        %s
                      key:
                        %s
                """.formatted(name, mode, certSource, keySource);
    }
}
