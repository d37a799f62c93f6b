package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kuma 2.0's access-log format parser; more invalid cases are in the logging validation vectors. */
class AccessLogFormatTest {
    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {
            "",
            "text without Envoy command operators",
            "%START_TIME%",
            "%START_TIME()%",
            "%START_TIME(%Y/%m/%dT%H:%M:%S%z %s)%",
            "%START_TIME(%s.%3f)%",
            "%BYTES_RECEIVED% %PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_HOST%",
            "%REQ()%",
            "%REQ():10%",
            "%REQ(:authority)%",
            "%REQ(x-missing-header?:AUTHORITY):7%",
            "%RESP(server?content-type):3%",
            "%TRAILER(grpc-status)%",
            "%DYNAMIC_METADATA()%",
            "%DYNAMIC_METADATA(com.test.my_filter:test_object:inner_key):10%",
            "%FILTER_STATE(key)%",
            "%FILTER_STATE(key):10%",
            "%SOME_FUTURE_OPERATOR%",
            "%KUMA_MESH% %KUMA_SOURCE_SERVICE% %KUMA_DESTINATION_SERVICE% %KUMA_SOURCE_ADDRESS%",
            "%KUMA_SOURCE_ADDRESS_WITHOUT_PORT% %KUMA_TRAFFIC_DIRECTION%",
            "[%START_TIME%] %RESPONSE_FLAGS% %KUMA_MESH% %KUMA_SOURCE_ADDRESS_WITHOUT_PORT%(%KUMA_SOURCE_SERVICE%)->"
                    + "%UPSTREAM_HOST%(%KUMA_DESTINATION_SERVICE%) took %DURATION%ms, sent %BYTES_SENT% bytes, "
                    + "received: %BYTES_RECEIVED% bytes",
            "{\"mesh\": \"%KUMA_MESH%\", \"path\": \"%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%\"}\n",
    })
    void acceptsKumaValidFormats(String format) {
        assertThat(AccessLogFormat.validate(format)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "%|expected a command operator to start at position 1, instead got: \"%\"",
            "%%|expected a command operator to start at position 1, instead got: \"%%\"",
            "%START_TIME|expected a command operator to start at position 1, instead got: \"%START_TIME\"",
            "%start_time%|expected a command operator to start at position 1, instead got: \"%start_time%\"",
            "%REQ(a)%%|expected a command operator to start at position 9, instead got: \"%\"",
            "%FILTER_STATE%|command \"%FILTER_STATE(KEY):Z%\" requires a key as its argument, instead got \"%FILTER_STATE%\"",
            "%DYNAMIC_METADATA:10%|command \"%DYNAMIC_METADATA(NAMESPACE:KEY*):Z%\" requires a filter namespace "
                    + "and optional path as its arguments, instead got \"%DYNAMIC_METADATA:10%\"",
            "%REQ(header-1\u0000)%|header name contains a newline in \"%REQ(header-1\\x00)%\"",
            "%RESP(header-1?\rheader-2)%|header name contains a newline in \"%RESP(header-1?\\rheader-2)%\"",
    })
    void rejectsWithKumaMessage(String format, String reason) {
        assertThat(AccessLogFormat.validate(format)).contains("format string is not valid: " + reason);
    }
}
