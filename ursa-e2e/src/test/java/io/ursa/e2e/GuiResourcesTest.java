package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The resources pages of the GUI in Chromium against a real control plane: the list, a resource as YAML in both
 * forms, the TrafficPermission form with the API's causes next to its inputs, the YAML editor, and deleting a mesh
 * (refused while a Dataplane is attached, as the API words it). One control plane for the class: every test uses
 * resources of its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuiResourcesTest {
    private CpProcess cp;
    private CpApi api;
    private GuiBrowser browser;

    @RegisterExtension
    final CpLogOnFailure cpLog = new CpLogOnFailure(() -> cp);

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cp = CpProcess.start(dir.resolve("store"), Path.of("target", "e2e-logs"), Map.of("URSA_STORE_TYPE", "memory"));
        api = new CpApi(cp.apiUrl());
    }

    @AfterAll
    void stop() throws Exception {
        if (cp != null) {
            cp.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = GuiBrowser.open(cp.apiUrl());
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.assertNoScriptErrors();
            browser.close();
        }
    }

    @Test
    void createsTrafficPermissionThroughTheForm() throws Exception {
        browser.go("/resources/traffic-permissions?mesh=default");
        browser.find(By.cssSelector("#resource-list tr[data-name='allow-all-default']"));
        browser.find(By.id("resource-create")).click();

        browser.find(By.id("tp-name")).sendKeys("web-to-backend");
        WebElement source = browser.find(By.id("tp-source-0-value"));
        source.clear();
        source.sendKeys("web");
        WebElement destination = browser.find(By.id("tp-destination-0-value"));
        destination.clear();
        destination.sendKeys("backend");
        browser.screenshot("resources-tp-form");
        browser.find(By.id("tp-save")).click();

        browser.await(d -> d.getCurrentUrl().endsWith("#/meshes/default/resources/traffic-permissions/web-to-backend"));
        browser.await(d -> d.findElement(By.id("resource-yaml")).getText().contains("name: web-to-backend"));
        assertThat(browser.find(By.id("resource-yaml")).getText()).contains("kuma.io/service: backend");
        browser.screenshot("resources-tp-created");
        JsonNode created = api.get("/meshes/default/traffic-permissions/web-to-backend").orElseThrow();
        assertThat(created.at("/sources/0/match/kuma.io~1service").asText()).isEqualTo("web");
        assertThat(created.at("/destinations/0/match/kuma.io~1service").asText()).isEqualTo("backend");

        browser.go("/resources/traffic-permissions?mesh=default");
        browser.find(By.id("resource-filter")).sendKeys("web-to");
        browser.await(d -> d.findElements(By.cssSelector("#resource-list tbody tr")).size() == 1
                && !d.findElements(By.cssSelector("#resource-list tr[data-name='web-to-backend']")).isEmpty());
        browser.await(d -> d.findElement(By.id("resource-count")).getText().equals("1–1 of 1"));
        assertThat(browser.driver().getCurrentUrl()).contains("name=web-to");
        browser.screenshot("resources-list-filtered");
    }

    @Test
    void showsTheApiCausesNextToTheTrafficPermissionInputs() throws Exception {
        browser.go("/new?type=TrafficPermission&mesh=default");
        browser.find(By.id("tp-name")).sendKeys("Bad_Name");
        browser.find(By.id("tp-save")).click();
        WebElement nameError = browser.find(By.id("tp-name-error"));
        browser.await(d -> nameError.isDisplayed());
        assertThat(nameError.getText()).contains("invalid characters");
        assertThat(browser.find(By.id("tp-name")).getAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("resources-tp-bad-name");
        assertThat(api.get("/meshes/default/traffic-permissions/Bad_Name")).isEmpty();

        WebElement name = browser.find(By.id("tp-name"));
        name.clear();
        name.sendKeys("no-destination");
        browser.find(By.id("tp-destination-0-value")).clear();
        browser.find(By.id("tp-save")).click();
        WebElement valueError = browser.find(By.id("tp-destination-0-value-error"));
        browser.await(d -> valueError.isDisplayed());
        assertThat(valueError.getText()).isEqualTo("tag value must be non-empty");
        assertThat(browser.find(By.id("tp-name-error")).isDisplayed()).isFalse();
        browser.screenshot("resources-tp-empty-value");
        assertThat(api.get("/meshes/default/traffic-permissions/no-destination")).isEmpty();

        browser.find(By.id("tp-source-0-remove")).click();
        browser.find(By.id("tp-save")).click();
        WebElement groupError = browser.find(By.id("tp-sources-error"));
        browser.await(d -> groupError.isDisplayed());
        assertThat(groupError.getText()).isEqualTo("must have at least one element");
        assertThat(api.get("/meshes/default/traffic-permissions/no-destination")).isEmpty();
    }

    @Test
    void showsAResourceAsYamlInUniversalAndKubernetesForm() throws Exception {
        browser.go("/meshes/default/resources/traffic-permissions/allow-all-default");
        browser.await(d -> d.findElement(By.id("resource-yaml")).getText().contains("type: TrafficPermission"));
        assertThat(browser.find(By.id("resource-yaml")).getText()).doesNotContain("apiVersion");
        browser.find(By.id("form-kubernetes")).click();
        browser.await(d -> d.findElement(By.id("resource-yaml")).getText().contains("apiVersion: kuma.io/v1alpha1"));
        assertThat(browser.find(By.id("resource-yaml")).getText()).contains("kind: TrafficPermission");
        assertThat(browser.find(By.id("resource-edit")).getAttribute("href")).endsWith("?form=kubernetes");
        browser.screenshot("resources-view-kubernetes");
        browser.find(By.id("resource-copy")).click();
        browser.await(d -> d.findElement(By.id("status")).getAttribute("textContent").contains("Cop"));
    }

    @Test
    void editsAResourceThroughTheYamlEditor() throws Exception {
        api.put("/meshes/default/traffic-permissions/edit-me", """
                {"type": "TrafficPermission", "mesh": "default", "name": "edit-me",
                 "sources": [{"match": {"kuma.io/service": "web"}}],
                 "destinations": [{"match": {"kuma.io/service": "backend"}}]}""");
        browser.go("/meshes/default/resources/traffic-permissions/edit-me");
        browser.await(d -> d.findElement(By.id("resource-yaml")).getText().contains("name: edit-me"));
        browser.find(By.id("resource-edit")).click();
        WebElement text = browser.find(By.id("resource-text"));
        browser.await(d -> text.getAttribute("value").contains("kuma.io/service: web"));
        assertThat(browser.find(By.cssSelector("label[for='resource-text']")).getText()).isEqualTo("Resource (YAML)");

        replaceText(text, """
                type: TrafficPermission
                mesh: default
                name: edit-me
                sources:
                - match:
                    kuma.io/service: not valid
                destinations:
                - match:
                    kuma.io/service: backend
                """);
        browser.find(By.id("resource-validate")).click();
        WebElement cause = browser.find(By.cssSelector("#resource-causes li[data-field='sources[0].match[\"kuma.io/service\"]']"));
        assertThat(cause.getText()).contains("tag value must consist of").contains("line 6");
        browser.screenshot("resources-editor-cause");

        replaceText(text, """
                type: TrafficPermission
                mesh: default
                name: edit-me
                sources:
                - match:
                    kuma.io/service: frontend
                destinations:
                - match:
                    kuma.io/service: backend
                """);
        browser.find(By.id("resource-save")).click();
        browser.await(d -> d.getCurrentUrl().endsWith("#/meshes/default/resources/traffic-permissions/edit-me"));
        browser.await(d -> d.findElement(By.id("resource-yaml")).getText().contains("kuma.io/service: frontend"));
        browser.screenshot("resources-edited");
        assertThat(api.get("/meshes/default/traffic-permissions/edit-me").orElseThrow()
                .at("/sources/0/match/kuma.io~1service").asText()).isEqualTo("frontend");
    }

    @Test
    void refusesDeletingAMeshWithADataplaneAttachedThenDeletesIt() throws Exception {
        api.put("/meshes/doomed", "{\"type\": \"Mesh\", \"name\": \"doomed\"}");
        api.put("/meshes/doomed/dataplanes/web-1", """
                {"type": "Dataplane", "mesh": "doomed", "name": "web-1", "networking": {"address": "127.0.0.1",
                 "inbound": [{"port": 8080, "servicePort": 8081, "tags": {"kuma.io/service": "web"}}]}}""");
        browser.go("/resources/meshes/doomed");
        browser.await(d -> d.findElement(By.id("resource-yaml")).getText().contains("name: doomed"));
        browser.find(By.id("resource-delete")).click();
        WebElement attached = browser.find(By.id("delete-dataplanes"));
        assertThat(attached.getText()).contains("1 Dataplane is attached");
        WebElement list = browser.find(By.id("delete-list"));
        assertThat(list.getText()).contains("TrafficPermission").contains("Secret");
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("delete-cancel");
        browser.find(By.id("delete-confirm")).click();
        browser.await(d -> d.findElement(By.id("delete-error")).getText()
                .contains("unable to delete mesh, there are still some dataplanes attached"));
        browser.screenshot("resources-delete-mesh-refused");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await(d -> d.findElements(By.id("delete-dialog")).isEmpty());
        assertThat(api.get("/meshes/doomed")).isPresent();

        api.delete("/meshes/doomed/dataplanes/web-1");
        browser.find(By.id("resource-delete")).click();
        browser.await(d -> !d.findElements(By.id("delete-list")).isEmpty()
                && d.findElements(By.id("delete-dataplanes")).isEmpty());
        browser.find(By.id("delete-confirm")).click();
        browser.await(d -> d.getCurrentUrl().endsWith("#/resources/meshes"));
        assertThat(browser.find(By.id("resource-flash")).getText()).isEqualTo("Mesh doomed deleted.");
        browser.find(By.cssSelector("#resource-list tr[data-name='default']"));
        assertThat(browser.driver().findElements(By.cssSelector("#resource-list tr[data-name='doomed']"))).isEmpty();
        browser.screenshot("resources-delete-mesh-done");
        assertThat(api.get("/meshes/doomed")).isEmpty();
    }

    /** Replaces the text of a textarea as a user does: select all, type. */
    private static void replaceText(WebElement textarea, String text) {
        textarea.sendKeys(Keys.chord(Keys.CONTROL, "a"));
        textarea.sendKeys(Keys.DELETE);
        textarea.sendKeys(text);
    }
}
