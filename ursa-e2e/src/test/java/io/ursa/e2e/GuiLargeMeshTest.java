package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The mesh page with 10,000 Dataplanes: it shows one page of them and the total, pages and filters on the server,
 * and keeps its DOM small, while the live refresh goes on. How long each step took in the browser is written to
 * {@code target/gui-screenshots/large-mesh.txt} (figures, not assertions: timing belongs to benchmarks).
 */
class GuiLargeMeshTest {
    private static final int DATAPLANES = 10_000;

    @TempDir
    Path tmp;

    @Test
    void aMeshOfTenThousandDataplanesPagesAndFilters() throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of())) {
            long created = createDataplanes(cp);
            try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl())) {
                List<String> report = new ArrayList<>();
                report.add("created " + DATAPLANES + " Dataplanes through the API in " + created + " ms");
                long start = System.nanoTime();
                browser.go("/meshes/default");
                browser.awaitText("Showing 1–50 of 10,000");
                report.add("mesh page shows the first page and the total: " + millis(start) + " ms");
                assertThat(browser.driver.findElements(By.cssSelector("[data-dataplane]"))).hasSize(50);
                browser.screenshot("large-mesh");

                start = System.nanoTime();
                browser.find(By.cssSelector("#dataplane-pager [data-pager=next]")).click();
                browser.awaitText("Showing 51–100 of 10,000");
                report.add("next page: " + millis(start) + " ms");

                WebElement name = browser.find(By.id("dp-filter-name"));
                start = System.nanoTime();
                name.sendKeys("dp-9999");
                browser.await(d -> d.findElements(By.cssSelector("[data-dataplane]")).size() == 1);
                report.add("filter by name (typing, debounce, answer): " + millis(start) + " ms");
                assertThat(browser.find(By.cssSelector("[data-dataplane]")).getAttribute("data-dataplane"))
                        .isEqualTo("dp-9999");
                name.clear();

                Object nodes = ((JavascriptExecutor) browser.driver)
                        .executeScript("return document.getElementsByTagName('*').length");
                report.add("elements in the page: " + nodes);
                assertThat((Long) nodes).as("only one page of rows is in the DOM").isLessThan(5_000L);
                browser.assertNoScriptErrors();
                Files.createDirectories(GuiBrowser.SCREENSHOTS);
                Files.write(GuiBrowser.SCREENSHOTS.resolve("large-mesh.txt"), report);
            }
        }
    }

    /** PUTs the Dataplanes eight at a time; returns how long it took. */
    private static long createDataplanes(CpProcess cp) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 1; i <= DATAPLANES; i++) {
                int n = i;
                answers.add(pool.submit(() -> http.send(HttpRequest.newBuilder(
                                URI.create(cp.apiUrl() + "/meshes/default/dataplanes/dp-" + n))
                        .header("Content-Type", "application/yaml")
                        .PUT(HttpRequest.BodyPublishers.ofString(dataplane(n))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        return millis(start);
    }

    private static String dataplane(int n) {
        return "type: Dataplane\nmesh: default\nname: dp-" + n + "\nnetworking:\n  address: 10." + (n / 65536 % 256)
                + "." + (n / 256 % 256) + "." + (n % 256) + "\n  inbound:\n  - port: 8080\n    tags:\n"
                + "      kuma.io/service: svc-" + (n % 50) + "\n      version: v" + (n % 3) + "\n";
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
