package io.ursa.api.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's {@code url.ParseRequestURI}, as the zipkin url check and the virtual probe paths use it. */
class RequestUrisTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://zipkin.local:9411/v2/spans|9411",
            "https://user:pw@zipkin.local:443/x?y=1|443",
            "http://[::1]:9411/api|9411",
            "http://[::1]/api|''",
            "http://zipkin.local/v2/spans|''",
            "http://zipkin.local:/v2/spans|''",
            "zipkin.local:9411|''",
            "/api/v2/spans|''",
            "mailto:someone@example.com|''",
            "http://zipkin.local?q=:1|''",
            "*|''",
    })
    void parsesRequestUrisLikeGo(String url, String port) {
        assertThat(RequestUris.port(url)).contains(port);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"invalid-url", "://host:1", "http://host:12a/", "http://ho st:1/", "http://host:1/%zz",
            "http://[::1:9411/", "http://host:1/\u0000", "http://us^er@host:1/", "9411:zipkin", "http://%41:1/"})
    void rejectsWhatGoRejects(String url) {
        assertThat(RequestUris.port(url)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"/healthz", "/8080/healthz", "*", "/a%20b?x=%zz", "http://app:8080/ready"})
    void acceptsProbePaths(String path) {
        assertThat(RequestUris.isValid(path)).isTrue();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "healthz", "8080/healthz", "/%zz", "/a\tb", ":8080/healthz", "http://app:port/"})
    void refusesWhatGoRefusesAsAProbePath(String path) {
        assertThat(RequestUris.isValid(path)).isFalse();
    }
}
