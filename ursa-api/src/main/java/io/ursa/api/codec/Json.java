package io.ursa.api.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The two configured mappers every module shares. They follow Kuma's spec encoding: zero values are omitted
 * (fields that model protobuf wrappers opt back in with {@code @JsonInclude(NON_NULL)}), unknown fields are
 * ignored on input, map keys come out sorted. Both are configured once here and never changed afterwards, so
 * sharing them is safe.
 */
public final class Json {
    /** Largest document we accept, in characters (bodies are capped at 1 MiB before they get here). */
    public static final int MAX_DOCUMENT_CHARS = 1 << 20;
    /**
     * Aliases SnakeYAML allows per stream when it composes nodes. Jackson reads events instead and does not expand
     * aliases, so {@link ResourceCodec#parseYamlDocuments} refuses any alias outright.
     */
    public static final int MAX_YAML_ALIASES = 50;
    public static final int MAX_NESTING_DEPTH = 64;

    private Json() {
    }

    public static ObjectMapper json() {
        return JsonHolder.MAPPER;
    }

    public static ObjectMapper yaml() {
        return YamlHolder.MAPPER;
    }

    /** Each mapper is built on first use only: a short-lived program (ursactl) often needs one of them. */
    private static final class JsonHolder {
        static final ObjectMapper MAPPER = configure(JsonMapper.builder(
                com.fasterxml.jackson.core.JsonFactory.builder()
                        .streamReadConstraints(constraints())
                        .build()).build());
    }

    private static final class YamlHolder {
        static final ObjectMapper MAPPER = configure(YAMLMapper.builder(yamlFactory()).build());
    }

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_DOCUMENT_CHARS)
                .build();
    }

    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_YAML_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_DOCUMENT_CHARS * 2);
        return YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(constraints())
                // `key:` with nothing after it is null, as in Kuma (not "")
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .stringQuotingChecker(new YamlQuoting())
                .build();
    }

    private static <M extends ObjectMapper> M configure(M mapper) {
        // a map keeps every entry, as protobuf's JSON does: a tag whose value is "" is a tag
        mapper.setDefaultPropertyInclusion(JsonInclude.Value.construct(
                JsonInclude.Include.NON_DEFAULT, JsonInclude.Include.NON_NULL));
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        // `port: 1.5` is a mistake to report, not a 1 to store
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        mapper.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        return mapper;
    }
}
