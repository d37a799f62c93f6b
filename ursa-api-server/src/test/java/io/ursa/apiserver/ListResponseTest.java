package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListResponseTest {
    @Test
    void queryValuesAreEscapedLikeGo() {
        assertThat(ListResponse.queryEscape("kuma.io/service:web v1~_-*"))
                .isEqualTo("kuma.io%2Fservice%3Aweb+v1~_-%2A");
        assertThat(ListResponse.queryEscape("é")).isEqualTo("%C3%A9");
    }
}
