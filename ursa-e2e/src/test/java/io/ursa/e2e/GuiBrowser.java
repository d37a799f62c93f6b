package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven over WebDriver by the system {@code chromedriver} (both from the packages
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs), as the GUI tests' user. Chromium
 * gets a fresh profile and no background networking (this machine has no route to Google's hosts). Without the
 * binaries the test is skipped on a developer's machine and fails under CI. Screenshots go to
 * {@code target/gui-screenshots/<name>.png}. Not thread-safe: one browser per test.
 */
final class GuiBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("URSA_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("URSA_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "gui-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    final ChromeDriver driver;
    private final String baseUrl;
    private final Path profile;

    private GuiBrowser(ChromeDriver driver, String baseUrl, Path profile) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.profile = profile;
    }

    /** A browser for the GUI at {@code baseUrl} (e.g. {@code http://127.0.0.1:5681}), of the given window size. */
    static GuiBrowser open(String baseUrl, int width, int height) throws IOException {
        return open(baseUrl, width, height, 1.0);
    }

    /**
     * As above, at a zoom factor: {@code 2.0} shows the page as a reader at 200 % sees it (a window of
     * {@code width} device pixels is {@code width / 2} CSS pixels wide).
     */
    static GuiBrowser open(String baseUrl, int width, int height, double zoom) throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("the GUI tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver; .ci/run installs them)");
        }
        Assumptions.assumeTrue(present, "Chromium and chromedriver are not installed");
        Path profile = Files.createTempDirectory("ursa-gui-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=" + zoom,
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new GuiBrowser(new ChromeDriver(service, options), baseUrl, profile);
    }

    static GuiBrowser open(String baseUrl) throws IOException {
        return open(baseUrl, 1280, 900);
    }

    /** Opens a page of the GUI: {@code hash} is the part after {@code #}, e.g. {@code /meshes/default}. */
    GuiBrowser go(String hash) {
        driver.get(baseUrl + "/gui#" + hash);
        return this;
    }

    /** Waits until the condition holds (at most 15 s), returning its value; a stale element is looked up again. */
    <T> T await(ExpectedCondition<T> condition) {
        // the GUI re-renders live parts of a page every few seconds: an element found a moment ago may be replaced
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Waits for an element to be present and returns it. */
    WebElement find(By by) {
        return await(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** Waits until the page has shown its first data (the router marks {@code main} ready). */
    void awaitLoaded() {
        await(d -> "ready".equals(d.findElement(By.tagName("main")).getAttribute("data-state")));
    }

    /** Waits until the page's text contains {@code text}. */
    void awaitText(String text) {
        await(d -> d.findElement(By.tagName("body")).getText().contains(text));
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Saves a screenshot of the window as {@code target/gui-screenshots/<name>.png}. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        return Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    /** Fails when the page logged a script error or a failed resource load (a 404 of a GUI file, a CSP refusal). */
    void assertNoScriptErrors() {
        List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // API refusals the page shows on purpose are logged by Chromium as failed loads
                .filter(m -> !m.matches("(?s).*the server responded with a status of (40[0-9]|409|422).*"))
                .toList();
        assertThat(severe).as("errors in the browser console").isEmpty();
    }

    WebDriver driver() {
        return driver;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
