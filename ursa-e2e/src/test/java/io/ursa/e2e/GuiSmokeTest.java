package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

class GuiSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void theGuiLoads() throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of());
             GuiBrowser browser = GuiBrowser.open(cp.apiUrl())) {
            browser.go("/");
            browser.find(By.cssSelector("#signed-in-as"));
            assertThat(browser.text()).contains("Ursa");
            browser.screenshot("smoke");
            browser.assertNoScriptErrors();
        }
    }
}
