package io.ursa.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.resource.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Round-trip vectors: multi-document YAML files of resources written exactly as Kuma writes them. Decoding and
 * encoding one again must give the same JSON tree.
 */
public final class RoundTrips {
    private RoundTrips() {
    }

    /** Every document of every {@code *.yaml} file in the classpath folder {@code folder}, named by its name. */
    public static Stream<Named<JsonNode>> documentsIn(String folder) {
        List<Named<JsonNode>> docs = new ArrayList<>();
        ValidationVectors.yamlDocumentsIn(folder).forEach((file, fileDocs) -> fileDocs.forEach(doc -> docs.add(
                Named.of(file + ": " + doc.path("type").asText() + " " + doc.path("name").asText(), doc))));
        assertThat(docs).as("documents in %s", folder).isNotEmpty();
        return docs.stream();
    }

    /** The resource, encoded again in the Universal form, without the store's timestamps. */
    public static ObjectNode reencode(JsonNode document) {
        Resource<?> resource = ValidationVectors.CODEC.decode(document);
        ObjectNode out = ValidationVectors.CODEC.toUniversal(resource);
        out.remove(List.of("creationTime", "modificationTime"));
        return out;
    }

    /** Equal JSON trees, where numbers compare by value (Jackson keeps 64 as an int or a long node). */
    public static void assertRoundTrips(JsonNode document) {
        ObjectNode out = reencode(document);
        assertThat(out.equals(NUMBERS_BY_VALUE, document))
                .as("re-encoded:%n%s%nexpected:%n%s", out.toPrettyString(), document.toPrettyString()).isTrue();
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
