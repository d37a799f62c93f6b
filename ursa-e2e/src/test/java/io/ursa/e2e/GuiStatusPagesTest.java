package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status pages of the GUI (overview, mesh, Dataplane) against one real control plane and two real
 * {@code ursa-dp run} proxies with {@link FakeEnvoy}: what a user sees of meshes, CAs, instances, Dataplanes, their
 * matched policies and served configuration, paging and filtering, and a proxy going offline without a reload. The
 * Dataplanes of the proxies are applied through the API first, so stopping a proxy leaves its Dataplane registered
 * (offline). The proxy that goes offline is stopped in the last test, after the screenshots of the realistic state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuiStatusPagesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path tmp;
    private CpProcess cp;
    private CpApi api;
    private Process web;
    private Process backend;
    private Process billing;

    @BeforeAll
    void startControlPlaneAndProxies(@TempDir Path dir) throws Exception {
        tmp = dir;
        cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of());
        api = new CpApi(cp.apiUrl());
        api.put("/meshes/payments", """
                {"type": "Mesh", "name": "payments",
                 "mtls": {"enabledBackend": "ca-1", "backends": [{"name": "ca-1", "type": "builtin"}]},
                 "metrics": {"enabledBackend": "prom", "backends": [{"name": "prom", "type": "prometheus"}]}}""");
        api.put("/meshes/staging", """
                {"type": "Mesh", "name": "staging", "routing": {"zoneEgress": true},
                 "mtls": {"enabledBackend": "ca-s", "backends": [{"name": "ca-s", "type": "builtin",
                                                                  "mode": "PERMISSIVE"}]},
                 "networking": {"outbound": {"passthrough": false}},
                 "tracing": {"defaultBackend": "zipkin", "backends": [{"name": "zipkin", "type": "zipkin",
                             "conf": {"url": "http://zipkin.local:9411/api/v2/spans"}}]},
                 "logging": {"defaultBackend": "file", "backends": [{"name": "file", "type": "file",
                             "conf": {"path": "/var/log/access.log"}}]}}""");
        api.put("/meshes/default/dataplanes/web-1", dataplane("web-1", "web", 18080, 8080, "backend"));
        api.put("/meshes/default/dataplanes/backend-1", dataplane("backend-1", "backend", 18081, 8081, "web"));
        api.put("/meshes/default/dataplanes/backend-2", dataplane("backend-2", "backend", 18082, 8082, "web"));
        api.put("/meshes/payments/dataplanes/billing-1", dataplane("billing-1", "billing", 18090, 8090, "web")
                .replace("\"mesh\": \"default\"", "\"mesh\": \"payments\""));
        web = startDp("default", "web-1");
        backend = startDp("default", "backend-1");
        billing = startDp("payments", "billing-1");
        awaitOnline("default", "web-1");
        awaitOnline("default", "backend-1");
        awaitOnline("payments", "billing-1");
    }

    @AfterAll
    void stop() throws Exception {
        for (Process dp : new Process[] {web, backend, billing}) {
            if (dp != null && dp.isAlive()) {
                dp.destroy();
                dp.waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    @Order(1)
    void theOverviewShowsEachMeshWithItsCaAndTheControlPlane() throws Exception {
        JsonNode index = api.get("/").orElseThrow();
        JsonNode ca = api.get("/mesh-insights/payments").orElseThrow().path("meshCa");
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 800)) {
            browser.go("/");
            WebElement payments = browser.find(By.cssSelector("[data-mesh='payments']"));
            browser.await(d -> payments.getText().contains("ca-1 (builtin)"));
            assertThat(payments.getText()).contains("STRICT", "prom (prometheus)", "expires "
                    + ca.path("notAfter").asText().substring(0, 10));
            WebElement fingerprint = payments.findElement(By.cssSelector(".ca-fingerprint"));
            assertThat(fingerprint.getAttribute("title")).contains(ca.path("fingerprint").asText());
            assertThat(fingerprint.getText()).startsWith(ca.path("fingerprint").asText().substring(0, 11));

            WebElement defaultMesh = browser.find(By.cssSelector("[data-mesh='default']"));
            browser.await(d -> "2".equals(defaultMesh.findElement(By.cssSelector(".dp-counts"))
                    .getAttribute("data-online")));
            assertThat(defaultMesh.getText()).contains("mTLS\noff", "2 online", "1 offline", "3 total",
                    "Metrics\nnone", "Passthrough\non", "Zone egress\noff");
            WebElement staging = browser.find(By.cssSelector("[data-mesh='staging']"));
            assertThat(staging.getText()).contains("PERMISSIVE", "ca-s (builtin)", "Passthrough\noff",
                    "Zone egress\non", "zipkin (zipkin)", "file (file)");

            assertThat(browser.find(By.id("cp-version")).getText()).isEqualTo(index.path("version").asText());
            WebElement instance = browser.find(By.cssSelector("[data-instance='" + index.path("instanceId").asText()
                    + "']"));
            assertThat(instance.getText()).contains("leader", "this page");
            browser.screenshot("overview");
            browser.assertNoScriptErrors();
        }
    }

    @Test
    @Order(2)
    void aMeshOpensFromItsCardWithItsDataplanesServicesAndPolicies() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 800)) {
            browser.go("/");
            WebElement link = browser.find(By.cssSelector("[data-mesh='default'] a[data-mesh-link]"));
            WebElement body = browser.driver.findElement(By.tagName("body"));
            for (int i = 0; i < 30 && !link.equals(browser.driver.switchTo().activeElement()); i++) {
                browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            }
            assertThat(link.equals(browser.driver.switchTo().activeElement())).as("the card link is reachable by Tab")
                    .isTrue();
            link.click();
            browser.await(d -> d.getCurrentUrl().endsWith("#/meshes/default"));
            WebElement row = browser.find(By.cssSelector("tr[data-dataplane='web-1']"));
            browser.await(d -> !d.findElements(By.cssSelector("tr[data-dataplane='web-1'] [data-status='online']"))
                    .isEmpty());
            assertThat(row.getText()).contains("kuma.io/service=web", "ACK");
            assertThat(browser.find(By.cssSelector("tr[data-dataplane='backend-2'] [data-status]"))
                    .getAttribute("data-status")).isEqualTo("offline");
            WebElement service = browser.find(By.cssSelector("tr[data-service='backend']"));
            assertThat(service.getText()).contains("1 of 2");
            WebElement permissions = browser.find(By.cssSelector("tr[data-policy-type='TrafficPermission'] a"));
            assertThat(permissions.getAttribute("href")).endsWith("#/resources/traffic-permissions?mesh=default");
            browser.screenshot("mesh");

            browser.go("/meshes/payments");
            WebElement billing = browser.find(By.cssSelector("tr[data-dataplane='billing-1']"));
            browser.await(d -> billing.getText().contains("expires "));
            browser.screenshot("mesh-mtls");
            browser.assertNoScriptErrors();
        }
    }

    @Test
    @Order(3)
    void aDataplaneShowsItsMatchedPoliciesAndItsServedConfiguration() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 1000)) {
            browser.go("/meshes/default");
            browser.find(By.cssSelector("tr[data-dataplane='web-1'] a")).click();
            browser.await(d -> d.getCurrentUrl().endsWith("#/meshes/default/dataplanes/web-1"));
            browser.await(d -> "online".equals(d.findElement(By.id("dp-status")).getAttribute("data-status")));

            WebElement permission = browser.find(By.cssSelector(
                    "#matched-policies [data-attachment='inbound'] tr[data-policy-name='allow-all-default']"));
            assertThat(permission.getText()).contains("TrafficPermission", "destination: kuma.io/service=*",
                    "0 exact, 1 wildcard");
            assertThat(permission.findElement(By.cssSelector("a")).getAttribute("href"))
                    .endsWith("#/meshes/default/resources/traffic-permissions/allow-all-default");

            WebElement listener = browser.find(By.cssSelector(
                    "#served-config details[data-resource='Listener/inbound:127.0.0.1:18080']"));
            browser.screenshot("dataplane");
            listener.findElement(By.tagName("summary")).click();
            browser.await(d -> listener.getText().contains("\"name\": \"inbound:127.0.0.1:18080\""));
            browser.screenshot("dataplane-config");

            browser.go("/meshes/default/dataplanes/backend-2");
            browser.find(By.id("not-connected"));
            assertThat(browser.find(By.id("dp-status")).getAttribute("data-status")).isEqualTo("offline");
            browser.screenshot("dataplane-offline");
            browser.assertNoScriptErrors();
        }
    }

    @Test
    @Order(6)
    void aBuiltinGatewayShowsItsListenersRoutesAndPolicies() throws Exception {
        api.put("/meshes/staging/dataplanes/edge-1", """
                {"type": "Dataplane", "mesh": "staging", "name": "edge-1", "networking": {"address": "127.0.0.1",
                 "gateway": {"type": "BUILTIN", "tags": {"kuma.io/service": "edge"}}}}""");
        api.put("/meshes/staging/meshgateways/edge", """
                {"type": "MeshGateway", "mesh": "staging", "name": "edge",
                 "selectors": [{"match": {"kuma.io/service": "edge"}}],
                 "conf": {"listeners": [{"port": 8080, "protocol": "HTTP", "hostname": "*"}]}}""");
        api.put("/meshes/staging/meshgatewayroutes/to-web", """
                {"type": "MeshGatewayRoute", "mesh": "staging", "name": "to-web",
                 "selectors": [{"match": {"kuma.io/service": "edge"}}],
                 "conf": {"http": {"rules": [{"matches": [{"path": {"match": "PREFIX", "value": "/"}}],
                                              "backends": [{"destination": {"kuma.io/service": "web"}}]}]}}}""");
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 900)) {
            browser.go("/meshes/staging/dataplanes/edge-1");
            WebElement listener = browser.find(By.cssSelector(
                    "#matched-policies [data-attachment='listener'][data-attachment-name='8080']"));
            assertThat(listener.getText()).contains("Listener 8080 (HTTP)", "to-web", "kuma.io/service=web",
                    "Timeout: timeout-all-staging");
            assertThat(browser.find(By.cssSelector("#matched-policies a[data-policy='MeshGateway/edge']"))
                    .getAttribute("href")).endsWith("#/meshes/staging/resources/meshgateways/edge");
            browser.screenshot("dataplane-gateway");
            browser.assertNoScriptErrors();
        }
    }

    @Test
    @Order(4)
    void dataplanesArePagedAndFilteredByNameAndTag() throws Exception {
        api.put("/meshes/bulk", "{\"type\": \"Mesh\", \"name\": \"bulk\"}");
        for (int i = 0; i < 120; i++) {
            String name = String.format("dp-%03d", i);
            api.put("/meshes/bulk/dataplanes/" + name, dataplane(name, i % 3 == 0 ? "web" : "api", 20000 + i,
                    8080, "db").replace("\"mesh\": \"default\"", "\"mesh\": \"bulk\""));
        }
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 800)) {
            browser.go("/meshes/bulk");
            browser.awaitText("Showing 1–50 of 120 Dataplanes");
            assertThat(rows(browser)).hasSize(50).first().isEqualTo("dp-000");
            browser.find(By.cssSelector("#dataplane-pager [data-pager='next']")).click();
            browser.awaitText("Showing 51–100 of 120 Dataplanes");
            assertThat(rows(browser)).first().isEqualTo("dp-050");

            WebElement name = browser.find(By.id("dp-filter-name"));
            name.sendKeys("11");
            browser.awaitText("11 Dataplanes match the filter");
            assertThat(rows(browser)).hasSize(11).contains("dp-011", "dp-119");
            assertThat(name.equals(browser.driver.switchTo().activeElement())).as("the filter keeps the focus").isTrue();

            name.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            browser.find(By.id("dp-filter-tag")).sendKeys("kuma.io/service=web");
            browser.awaitText("40 Dataplanes match the filter");
            assertThat(rows(browser)).hasSize(40).allMatch(n -> Integer.parseInt(n.substring(3)) % 3 == 0);
            assertThat(browser.driver.getCurrentUrl()).contains("tag=kuma.io%2Fservice%3Dweb");
            browser.screenshot("mesh-filtered");
            browser.assertNoScriptErrors();
        }
    }

    @Test
    @Order(5)
    void aProxyThatStopsShowsOfflineWithoutAReload() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 800)) {
            browser.go("/meshes/default");
            By status = By.cssSelector("tr[data-dataplane='web-1'] [data-status]");
            browser.await(d -> "online".equals(d.findElement(status).getAttribute("data-status")));
            browser.driver.executeScript("document.body.dataset.marker = 'before'");
            String url = browser.driver.getCurrentUrl();

            web.destroy(); // SIGTERM: ursa-dp stops its Envoy; the Dataplane, applied through the API, stays
            assertThat(web.waitFor(30, TimeUnit.SECONDS)).as("ursa-dp exits after SIGTERM").isTrue();

            new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                    .until(d -> "offline".equals(d.findElement(status).getAttribute("data-status")));
            new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(d -> "1".equals(
                    d.findElement(By.cssSelector("#mesh-summary .dp-counts")).getAttribute("data-online")));
            assertThat(browser.driver.getCurrentUrl()).isEqualTo(url);
            assertThat(browser.driver.executeScript("return document.body.dataset.marker")).isEqualTo("before");
            browser.screenshot("mesh-proxy-offline");
            browser.assertNoScriptErrors();
        }
    }

    @Test
    @Order(7)
    void manyMeshesArePagedAndFilteredByName() throws Exception {
        for (int i = 0; i < 60; i++) {
            api.put("/meshes/team-" + i, "{\"type\": \"Mesh\", \"name\": \"team-" + i + "\"}");
        }
        long total = api.get("/meshes").orElseThrow().path("total").asLong();
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 800)) {
            browser.go("/");
            browser.awaitText("Showing 1–48 of " + total + " meshes");
            assertThat(browser.driver.findElements(By.cssSelector("[data-mesh]"))).hasSize(48);
            browser.find(By.cssSelector("#mesh-pager [data-pager='next']")).click();
            browser.awaitText("Showing 49–" + total + " of " + total + " meshes");

            browser.find(By.cssSelector("input[name='mesh-name']")).sendKeys("team-7");
            browser.await(d -> d.findElements(By.cssSelector("[data-mesh]")).size() == 1);
            assertThat(browser.find(By.cssSelector("[data-mesh]")).getAttribute("data-mesh")).isEqualTo("team-7");
            browser.screenshot("overview-filtered");
            browser.assertNoScriptErrors();
        }
    }

    private static List<String> rows(GuiBrowser browser) {
        return browser.driver.findElements(By.cssSelector("tr[data-dataplane]")).stream()
                .map(r -> r.getAttribute("data-dataplane")).toList();
    }

    private static String dataplane(String name, String service, int port, int servicePort, String outbound) {
        return """
                {"type": "Dataplane", "mesh": "default", "name": "%s",
                 "networking": {"address": "127.0.0.1",
                   "inbound": [{"port": %d, "servicePort": %d,
                                "tags": {"kuma.io/service": "%s", "kuma.io/protocol": "http"}}],
                   "outbound": [{"port": %d, "tags": {"kuma.io/service": "%s"}}]}}"""
                .formatted(name, port, servicePort, service, port + 1000, outbound);
    }

    private Process startDp(String mesh, String name) throws Exception {
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(cp.apiUrl() + "/tokens/dataplane"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mesh\": \"" + mesh + "\", \"name\": \"" + name + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path tokenFile = Files.writeString(dir.resolve("token"), token.body());
        return DpProcess.start(dir, cp, "ursa-dp", "--mesh", mesh, "--name", name,
                "--dataplane-token-file", tokenFile.toString(), "--config-dir",
                Files.createDirectories(dir.resolve("envoy")).toString());
    }

    private void awaitOnline(String mesh, String name) {
        await().atMost(WAIT).until(() -> {
            JsonNode subscriptions = api.get("/meshes/" + mesh + "/dataplanes+insights/" + name).orElseThrow()
                    .path("dataplaneInsight").path("subscriptions");
            return !subscriptions.isEmpty()
                    && !subscriptions.get(subscriptions.size() - 1).hasNonNull("disconnectTime")
                    && subscriptions.get(subscriptions.size() - 1).path("status").path("lds")
                    .path("responsesAcknowledged").asInt() > 0;
        });
    }
}
