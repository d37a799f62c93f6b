package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YamlDocumentsTest {
    @Test
    void splitsAtDocumentMarkers() {
        assertThat(YamlDocuments.split("a: 1\n---\nb: 2\n--- \nc: 3\n"))
                .containsExactly("a: 1\n", "b: 2\n", "c: 3\n\n");
    }

    @Test
    void keepsContentAfterAMarkerAndHandlesCrLf() {
        assertThat(YamlDocuments.split("--- {a: 1}\r\n---\r\nb: 2"))
                .containsExactly("", "{a: 1}\n", "b: 2\n");
    }

    @Test
    void doesNotSplitAtDashesInsideALine() {
        assertThat(YamlDocuments.split("a: ---\nb: '---'\n  ---x\n")).hasSize(1);
    }
}
