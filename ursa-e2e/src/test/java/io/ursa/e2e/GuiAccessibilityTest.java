package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Every page of the GUI for people who do not use a mouse or read at 200 %: each control has a name a screen
 * reader can say, each page one {@code h1}, nothing but wide tables scrolls sideways at 200 % zoom, and the
 * keyboard alone gets from the overview to a mesh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuiAccessibilityTest {
    private static final List<String> PAGES = List.of("/", "/meshes/default", "/trust", "/resources",
            "/resources/traffic-permissions?mesh=default", "/meshes/default/resources/traffic-permissions/allow-all-default",
            "/new?type=TrafficPermission&mesh=default", "/new?type=Mesh");

    /** Controls without a name a screen reader could say: their outerHTML, cut short. */
    private static final String UNNAMED_CONTROLS = """
            const unnamed = [];
            for (const el of document.querySelectorAll('input, select, textarea, button, a[href], summary')) {
              if (el.type === 'hidden' || el.closest('[hidden]')) continue;
              const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label')
                || el.getAttribute('aria-labelledby') || el.textContent.trim() || el.title;
              if (!named) unnamed.push(el.outerHTML.slice(0, 120));
            }
            return unnamed;
            """;

    private CpProcess cp;

    @BeforeAll
    void startControlPlane(@TempDir Path tmp) throws Exception {
        cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of());
    }

    @AfterAll
    void stopControlPlane() throws InterruptedException {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void everyControlHasANameAndEveryPageOneHeading() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl())) {
            for (String page : PAGES) {
                browser.go(page);
                browser.await(d -> !d.findElements(By.cssSelector("main h1")).isEmpty());
                browser.awaitLoaded();
                JavascriptExecutor js = browser.driver;
                assertThat((List<?>) js.executeScript(UNNAMED_CONTROLS)).as("controls without a name on " + page)
                        .isEmpty();
                assertThat(browser.driver.findElements(By.cssSelector("main h1"))).as("h1 on " + page).hasSize(1);
                browser.screenshot("names" + slug(page));
            }
            browser.assertNoScriptErrors();
        }
    }

    @Test
    void at200PercentZoomOnlyWideTablesScrollSideways() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl(), 1280, 900, 2.0)) {
            for (String page : PAGES) {
                browser.go(page);
                browser.await(d -> !d.findElements(By.cssSelector("main h1")).isEmpty());
                browser.awaitLoaded();
                JavascriptExecutor js = browser.driver;
                Long overflow = (Long) js.executeScript(
                        "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)");
                assertThat(overflow).as("sideways scrolling of " + page + " at 200 %").isZero();
                browser.screenshot("zoom-200" + slug(page));
            }
        }
    }

    @Test
    void theKeyboardAloneOpensAMesh() throws Exception {
        try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl())) {
            browser.go("/");
            WebElement link = browser.find(By.cssSelector("main a[href='#/meshes/default']"));
            boolean reached = false;
            for (int i = 0; i < 40 && !reached; i++) {
                new Actions(browser.driver).sendKeys(Keys.TAB).perform();
                reached = link.equals(browser.driver.switchTo().activeElement());
            }
            assertThat(reached).as("Tab reaches the link to the mesh default").isTrue();
            new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
            browser.await(d -> d.getCurrentUrl().endsWith("#/meshes/default"));
            browser.find(By.cssSelector("main h1"));
            browser.screenshot("keyboard-mesh");
        }
    }

    /** {@code /new?type=Mesh} → {@code -new-type-mesh}: a file name for a page. */
    private static String slug(String page) {
        return page.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    }
}
