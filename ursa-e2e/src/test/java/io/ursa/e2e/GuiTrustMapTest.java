package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The trust map in Chromium: two meshes given one root as their {@code provided} CA (the builtin CA of a third mesh,
 * read from its Secrets) are joined by a shared-root edge, as is the mesh whose CA it is; a mesh with its own
 * builtin CA shares a root with none, and the cross-mesh gateway it offers is reached by the others.
 */
class GuiTrustMapTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CpProcess cp;

    @RegisterExtension
    final CpLogOnFailure cpLog = new CpLogOnFailure(() -> cp);

    @Test
    void drawsSharedRootsAndCrossMeshGateways(@TempDir Path dir) throws Exception {
        try (CpProcess started = CpProcess.start(dir.resolve("store"), Path.of("target", "e2e-logs"),
                Map.of("URSA_STORE_TYPE", "memory"));
             GuiBrowser browser = GuiBrowser.open(started.apiUrl(), 1280, 1100)) {
            cp = started;
            CpApi api = new CpApi(cp.apiUrl());
            api.put("/meshes/ca-source", builtinMesh("ca-source"));
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    api.get("/meshes/ca-source/secrets/ca-source.ca-builtin-key-ca-1").isPresent());
            String cert = secret(api, "ca-source", "ca-source.ca-builtin-cert-ca-1");
            String key = secret(api, "ca-source", "ca-source.ca-builtin-key-ca-1");
            api.put("/meshes/shared-a", providedMesh("shared-a", cert, key));
            api.put("/meshes/shared-b", providedMesh("shared-b", cert, key));
            api.put("/meshes/lonely", builtinMesh("lonely"));
            api.put("/meshes/lonely/meshgateways/edge", """
                    {"type": "MeshGateway", "mesh": "lonely", "name": "edge",
                     "selectors": [{"match": {"kuma.io/service": "edge-gateway"}}],
                     "conf": {"listeners": [{"port": 8443, "protocol": "HTTP", "hostname": "edge.lonely.test",
                                             "crossMesh": true}]}}""");

            browser.go("/trust");
            browser.find(By.cssSelector("#trust-svg .node[data-mesh='lonely']"));
            browser.find(sharedRoot("shared-a", "shared-b"));
            browser.find(sharedRoot("ca-source", "shared-a"));
            assertThat(browser.driver().findElements(By.cssSelector(
                    "[data-edge='shared-root'][data-from='lonely'], [data-edge='shared-root'][data-to='lonely']")))
                    .as("a builtin CA of its own shares a root with no mesh").isEmpty();
            assertThat(browser.driver().findElements(By.cssSelector("[data-edge='shared-root'][data-from='default'],"
                    + " [data-edge='shared-root'][data-to='default']"))).isEmpty();
            browser.find(By.cssSelector("[data-edge='cross-mesh'][data-from='shared-a'][data-to='lonely']"));
            assertThat(browser.find(By.cssSelector("#trust-svg .node[data-mesh='default']")).getText())
                    .contains("mTLS off");
            assertThat(browser.find(By.cssSelector("#trust-svg .node[data-mesh='shared-a']")).getText())
                    .contains("provided");

            WebElement row = browser.find(By.cssSelector("#trust-facts tr[data-mesh='shared-a']"));
            assertThat(row.getText()).contains("ca-source").contains("shared-b");
            assertThat(browser.find(By.cssSelector("#trust-facts tr[data-mesh='lonely']")).getText()).endsWith("—");
            assertThat(browser.find(By.cssSelector("#trust-facts tr[data-from='shared-b'][data-to='lonely']"))
                    .getText()).contains("edge").contains("edge.lonely.test:8443");
            assertThat(browser.find(By.id("trust-legend")).getText()).contains("dashed").contains("solid arrow");
            browser.screenshot("trust-map");
            browser.assertNoScriptErrors();
        }
    }

    private static By sharedRoot(String from, String to) {
        return By.cssSelector("[data-edge='shared-root'][data-from='" + from + "'][data-to='" + to + "']");
    }

    private static String builtinMesh(String name) {
        return "{\"type\": \"Mesh\", \"name\": \"" + name + "\", \"mtls\": {\"enabledBackend\": \"ca-1\","
                + " \"backends\": [{\"name\": \"ca-1\", \"type\": \"builtin\"}]}}";
    }

    private static String providedMesh(String name, String cert, String key) {
        ObjectNode mesh = JSON.createObjectNode().put("type", "Mesh").put("name", name);
        ObjectNode mtls = mesh.putObject("mtls").put("enabledBackend", "shared");
        ObjectNode backend = mtls.putArray("backends").addObject().put("name", "shared").put("type", "provided");
        ObjectNode conf = backend.putObject("conf");
        conf.putObject("cert").put("inlineString", cert);
        conf.putObject("key").put("inlineString", key);
        return mesh.toString();
    }

    private static String secret(CpApi api, String mesh, String name) throws Exception {
        String data = api.get("/meshes/" + mesh + "/secrets/" + name).orElseThrow().path("data").asText();
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }
}
