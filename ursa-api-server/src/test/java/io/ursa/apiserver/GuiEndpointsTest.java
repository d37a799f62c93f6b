package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GUI's files are served from the jar at {@code /gui}, on HTTP and HTTPS, to anyone, and nothing else is. */
class GuiEndpointsTest {
    private static final TestCa CA = TestCa.create("Test Control Plane CA");
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false), DataplaneInsights.none());
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void guiIsTheHtmlPageWithAStrictContentSecurityPolicy() {
        Reply page = api.get("/gui");

        assertThat(page.status()).as("anonymous callers get the page; the API decides what they may see").isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"/gui/js/main.js\"></script>");
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(page.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(api.get("/gui/").body()).as("a trailing slash is the same page").isEqualTo(page.body());
    }

    @Test
    void everyFileThePageNamesIsServedWithItsType() {
        Reply script = api.get("/gui/js/main.js");
        Reply style = api.get("/gui/css/ursa.css");
        Reply library = api.get("/gui/vendor/js-yaml/js-yaml.mjs");

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(style.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(library.status()).isEqualTo(200);
        assertThat(api.get("/gui/vendor/js-yaml/LICENSE.txt").body()).contains("MIT License");
        // every module main.js imports exists
        Matcher imports = Pattern.compile("from '\\./([a-z/-]+\\.js)'").matcher(script.body());
        int count = 0;
        while (imports.find()) {
            count++;
            assertThat(api.get("/gui/js/" + imports.group(1)).status()).as(imports.group(1)).isEqualTo(200);
        }
        assertThat(count).isGreaterThan(5);
    }

    @Test
    void anUnchangedFileIsRevalidatedWith304() {
        Reply first = api.get("/gui/css/ursa.css");
        String etag = first.header("ETag").orElseThrow();

        Reply again = api.get("/gui/css/ursa.css", "If-None-Match", etag);

        assertThat(first.header("Cache-Control")).contains("no-cache");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void unknownFilesAndPathsOutsideTheGuiAre404WithKumaErrorJson() {
        for (String path : new String[] {"/gui/nope.js", "/gui/js/../../ApiServer.class", "/gui/%2e%2e/x.js",
                "/gui/io/ursa/apiserver/ApiServer.class", "/gui/js/main.exe", "/gui/.hidden.js"}) {
            Reply reply = api.get(path);
            assertThat(reply.status()).as(path).isIn(400, 404);
            assertThat(reply.body()).as(path).doesNotContain("class ", "package ");
        }
        Reply missing = api.get("/gui/nope.js");
        assertThat(missing.json().path("title").asText()).isEqualTo(Titles.GUI);
        assertThat(missing.causes()).containsExactly("path: the GUI has no file nope.js");
    }

    @Test
    void theGuiIsServedOverHttpsToo() {
        TestCa.ServerCertificate server = CA.issueServerCertificate();
        ApiServerConfig config = ApiServerConfig.defaults().withHttps(new ApiServerConfig.Https("127.0.0.1", 0,
                server.chainPem(), server.keyPem(), ApiServerConfig.TlsVersion.TLSv1_2)).withoutHttp();
        try (TestServer https = TestServer.withTls(config, CA.trustingClient())) {
            Reply page = https.send(HttpRequest.newBuilder(URI.create(https.address() + "/gui")));

            assertThat(https.address()).startsWith("https://");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("/gui/js/main.js");
        }
    }
}
