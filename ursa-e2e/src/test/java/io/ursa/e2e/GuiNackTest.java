package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What only Ursa shows: a proxy's rejection of its configuration, with the client's own error text. A real
 * grpc-xds client is sent a route split it refuses (weights whose sum gRPC cannot hold); the mesh page marks its row
 * with the NACK and the Dataplane page shows the rejected version and gRPC's words, while the client keeps running
 * its last good listener, whose version the page shows as last ACKed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GuiNackTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aConfigurationTheClientRejectsShowsWithItsErrorText() throws Exception {
        try (CpProcess cp = CpProcess.start(dir.resolve("store"), Path.of("target", "e2e-logs"),
                Map.of("URSA_STORE_TYPE", "memory", "URSA_XDS_SERVER_NACK_BACKOFF", "1s"))) {
            Ursactl ctl = new Ursactl(dir.resolve("ursactl.yaml"));
            apply(ctl, null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl());
            apply(ctl, "type: Mesh\nname: shop\n---\n" + route(100, 0), "apply", "-f", "-");
            try (ProxylessApps apps = new ProxylessApps(cp, ctl, dir.resolve("apps"))) {
                apps.tokens("shop");
                App v1 = App.server("shop", "backend-v1", "backend", "v1");
                App v2 = App.server("shop", "backend-v2", "backend", "v2");
                App web = App.client("shop", "web");
                apps.prepare(v1, v2, web);
                apps.serve(v1);
                apps.serve(v2);
                ManagedChannel channel = apps.channel(web, "backend");
                assertThat(WhoAmI.call(channel, WAIT)).isEqualTo(v1.instance());

                apply(ctl, route(4294967295L, 4294967295L), "apply", "-f", "-");

                try (GuiBrowser browser = GuiBrowser.open(cp.apiUrl())) {
                    browser.go("/meshes/shop");
                    browser.await(d -> d.findElement(By.cssSelector("[data-dataplane='web']")).getText()
                            .matches("(?s).*NACK [1-9].*"));
                    browser.screenshot("mesh-nack");

                    browser.find(By.cssSelector("[data-dataplane='web'] a")).click();
                    browser.await(d -> d.findElement(By.cssSelector("[data-xds-type='lds']")).getText()
                            .contains("NACK"));
                    WebElement lds = browser.find(By.cssSelector("[data-xds-type='lds']"));
                    assertThat(lds.getText()).as("gRPC's own words for the rejected listener")
                            .contains("Sum of cluster weights should be less than the maximum unsigned integer");
                    browser.screenshot("dataplane-nack");
                    assertThat(WhoAmI.call(channel, WAIT)).as("the client still runs its last good route")
                            .isEqualTo(v1.instance());
                    browser.assertNoScriptErrors();
                }
            }
        }
    }

    private static String route(long weightV1, long weightV2) {
        return """
                type: TrafficRoute
                mesh: shop
                name: web-to-backend
                sources: [{match: {kuma.io/service: web}}]
                destinations: [{match: {kuma.io/service: backend}}]
                conf:
                  split:
                  - {weight: %d, destination: {kuma.io/service: backend, version: v1}}
                  - {weight: %d, destination: {kuma.io/service: backend, version: v2}}
                """.formatted(weightV1, weightV2);
    }

    private static void apply(Ursactl ctl, String stdin, String... args) throws Exception {
        Ursactl.Result result = ctl.run(stdin, args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
