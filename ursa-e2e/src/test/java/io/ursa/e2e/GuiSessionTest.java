package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Users in the GUI, against a control plane whose loopback callers are not the admin
 * ({@code URSA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN=false}), as for a browser elsewhere: the GUI starts anonymous,
 * asks for a user token, checks it with the API before keeping it for the browser tab only, shows who is signed
 * in, and shows the API's refusals: a user who is not the admin sees no secrets, the admin does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuiSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = Path.of("target", "e2e-logs");

    private CpProcess cp;
    private String adminToken;
    private String aliceToken;

    @BeforeAll
    void startControlPlane(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("store");
        // first as the operator on the control plane's host: tokens and a secret, through the API
        try (CpProcess setup = CpProcess.start(store, LOGS, Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            adminToken = send(http, HttpRequest.newBuilder(URI.create(setup.apiUrl()
                    + "/global-secrets/admin-user-token")).build()).path("data").asText();
            adminToken = new String(java.util.Base64.getDecoder().decode(adminToken));
            aliceToken = http.send(HttpRequest.newBuilder(URI.create(setup.apiUrl() + "/tokens/user"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"alice\",\"groups\":[\"team-a\"],"
                            + "\"validFor\":\"1h\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
            HttpResponse<String> secret = http.send(HttpRequest.newBuilder(URI.create(setup.apiUrl()
                    + "/meshes/default/secrets/db-password")).header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString("type: Secret\nmesh: default\nname: db-password\n"
                            + "data: c2VjcmV0\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(secret.statusCode()).as(secret.body()).isEqualTo(201);
        }
        cp = CpProcess.start(store, LOGS, Map.of("URSA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN", "false"));
    }

    @AfterAll
    void stopControlPlane() throws InterruptedException {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void theGuiAsksForATokenKeepsItForTheTabOnlyAndShowsWhoIsSignedIn() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl())) {
            browser.go("/");
            WebElement who = browser.find(By.id("signed-in-as"));
            browser.await(d -> "anonymous".equals(d.findElement(By.id("signed-in-as")).getAttribute("data-via")));
            assertThat(who.getText()).contains("not signed in");

            signIn(browser, "not-a-token");
            WebElement error = browser.find(By.id("sign-in-token-error"));
            browser.await(ExpectedConditions.visibilityOf(error));
            assertThat(error.getText()).contains("Invalid authentication data");
            browser.screenshot("session-bad-token");
            browser.driver.findElement(By.cssSelector("dialog[open] button[type=button]")).click();

            signIn(browser, aliceToken);
            browser.await(d -> "alice".equals(d.findElement(By.id("signed-in-as")).getAttribute("data-user")));
            assertThat(browser.find(By.id("signed-in-as")).getText()).contains("Signed in as alice");
            JavascriptExecutor js = browser.driver;
            assertThat(js.executeScript("return sessionStorage.getItem('ursa.token')")).isEqualTo(aliceToken);
            assertThat(js.executeScript("return localStorage.length")).isEqualTo(0L);

            browser.driver.navigate().refresh();
            browser.await(d -> "alice".equals(d.findElement(By.id("signed-in-as")).getAttribute("data-user")));
            browser.screenshot("session-signed-in");

            browser.find(By.id("sign-out")).click();
            browser.await(d -> "anonymous".equals(d.findElement(By.id("signed-in-as")).getAttribute("data-via")));
            assertThat(js.executeScript("return sessionStorage.getItem('ursa.token')")).isNull();
        }
        try (GuiBrowser another = GuiBrowser.open(cp.apiUrl())) {
            another.go("/");
            another.await(d -> "anonymous".equals(d.findElement(By.id("signed-in-as")).getAttribute("data-via")));
        }
    }

    @Test
    void aUserWhoIsNotTheAdminSeesNoSecretsAndTheAdminDoes() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl())) {
            browser.go("/resources/secrets?mesh=default");
            browser.awaitText("Sign in with a user token");
            assertThat(browser.text()).doesNotContain("db-password");

            signIn(browser, aliceToken);
            browser.await(d -> "alice".equals(d.findElement(By.id("signed-in-as")).getAttribute("data-user")));
            browser.awaitText("Access Denied");
            assertThat(browser.text()).doesNotContain("db-password");
            browser.screenshot("session-secrets-refused");

            browser.find(By.id("sign-out")).click();
            browser.await(d -> "anonymous".equals(d.findElement(By.id("signed-in-as")).getAttribute("data-via")));
            signIn(browser, adminToken);
            browser.await(d -> "mesh-system:admin".equals(
                    d.findElement(By.id("signed-in-as")).getAttribute("data-user")));
            browser.awaitText("db-password");
            browser.screenshot("session-secrets-admin");
            browser.assertNoScriptErrors();
        }
    }

    private static void signIn(GuiBrowser browser, String token) {
        browser.find(By.id("sign-in")).click();
        WebElement input = browser.find(By.cssSelector("dialog[open] input[name=token]"));
        input.clear();
        input.sendKeys(token);
        browser.driver.findElement(By.cssSelector("dialog[open] button[type=submit]")).click();
    }

    private static com.fasterxml.jackson.databind.JsonNode send(HttpClient http, HttpRequest request)
            throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
