package io.ursa.api.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.policy.RoundTrips;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DataplaneRoundTripTest {
    static Stream<Named<JsonNode>> documents() {
        return RoundTrips.documentsIn("testdata/dataplane/roundtrip");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void encodesBackToTheSameJson(JsonNode document) {
        RoundTrips.assertRoundTrips(document);
    }
}
