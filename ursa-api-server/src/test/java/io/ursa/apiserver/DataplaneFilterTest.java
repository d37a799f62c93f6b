package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.codec.Json;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataplaneFilterTest {
    private static final DataplaneView BACKEND = view("""
            {"networking":{"address":"10.0.0.1","inbound":[
              {"port":1,"tags":{"kuma.io/service":"backend","version":"v1"}},
              {"port":2,"tags":{"kuma.io/service":"backend-admin","url":"http://x"}}]}}""");
    private static final DataplaneView GATEWAY = view("""
            {"networking":{"address":"10.0.0.2","gateway":{"tags":{"kuma.io/service":"edge"}}}}""");
    private static final DataplaneView BUILTIN_GATEWAY = view("""
            {"networking":{"address":"10.0.0.3","gateway":{"type":"BUILTIN","tags":{"kuma.io/service":"edge-b"}}}}""");

    @Test
    void noFilterAcceptsEverything() {
        DataplaneFilter filter = DataplaneFilter.of(List.of(), null);

        assertThat(filter.acceptsAll()).isTrue();
        assertThat(filter.matches(BACKEND)).isTrue();
        assertThat(filter.matches(GATEWAY)).isTrue();
    }

    @Test
    void allTagsMustMatchOneInbound() {
        assertThat(DataplaneFilter.of(List.of("kuma.io/service:backend", "version:v1"), "").matches(BACKEND)).isTrue();
        assertThat(DataplaneFilter.of(List.of("kuma.io/service:backend-admin", "version:v1"), "").matches(BACKEND))
                .as("tags spread over two inbounds").isFalse();
    }

    @Test
    void starMatchesAnyValueButNeedsTheTag() {
        assertThat(DataplaneFilter.of(List.of("version:*"), "").matches(BACKEND)).isTrue();
        assertThat(DataplaneFilter.of(List.of("version:*"), "").matches(GATEWAY)).isFalse();
    }

    @Test
    void gatewayTagsAreMatchedToo() {
        assertThat(DataplaneFilter.of(List.of("kuma.io/service:edge"), "").matches(GATEWAY)).isTrue();
    }

    @Test
    void valuesMayContainColonsAndEntriesWithoutColonAreIgnored() {
        assertThat(DataplaneFilter.of(List.of("url:http://x"), "").matches(BACKEND)).isTrue();
        assertThat(DataplaneFilter.of(List.of("garbage"), "").acceptsAll()).isTrue();
    }

    @Test
    void gatewayParameterSelectsGatewaysOrTheOthers() {
        assertThat(DataplaneFilter.of(List.of(), "true").matches(GATEWAY)).isTrue();
        assertThat(DataplaneFilter.of(List.of(), "TRUE").matches(BACKEND)).isFalse();
        assertThat(DataplaneFilter.of(List.of(), "false").matches(BACKEND)).isTrue();
        assertThat(DataplaneFilter.of(List.of(), "false").matches(GATEWAY)).isFalse();
    }

    @Test
    void aBuiltinGatewayIsAGatewayAsADelegatedOneIs() {
        assertThat(DataplaneFilter.of(List.of(), "true").matches(BUILTIN_GATEWAY)).isTrue();
        assertThat(DataplaneFilter.of(List.of(), "false").matches(BUILTIN_GATEWAY)).isFalse();
        assertThat(DataplaneFilter.of(List.of("kuma.io/service:edge-b"), "true").matches(BUILTIN_GATEWAY)).isTrue();
    }

    @Test
    void otherGatewayValuesAreRefusedAsKuma20Does() {
        assertThatThrownBy(() -> DataplaneFilter.of(List.of(), "builtin"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("gateway: invalid value \"builtin\" (expected: true or false)");
    }

    static DataplaneView view(String json) {
        try {
            return new DataplaneView(Json.json().readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
