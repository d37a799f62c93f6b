package io.ursa.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ursa.api.codec.Json;

/** {@code -o/--output}: a table, or the API's JSON as YAML or indented JSON. */
enum OutputFormat {
    TABLE,
    YAML,
    JSON;


    /** The node in this format (YAML or JSON), ending with a newline. Not for {@link #TABLE}. */
    String write(JsonNode node) {
        try {
            return switch (this) {
                case YAML -> Json.yaml().writeValueAsString(node);
                case JSON -> prettyJson().writeValueAsString(node) + "\n";
                case TABLE -> throw new IllegalStateException("a table is rendered by its command");
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + this, e);
        }
    }

    /** Built when needed: picocli loads this enum for every command line, and a mapper is slow to start. */
    private static ObjectWriter prettyJson() {
        return Json.json().writer(new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));
    }
}
