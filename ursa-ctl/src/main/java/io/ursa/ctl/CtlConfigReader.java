package io.ursa.ctl;

import io.ursa.api.codec.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the configuration file's YAML into a {@link CtlConfig} field by field. Every command reads this file, and
 * building it through a Jackson mapper (its YAML factory, then record introspection) cost more start-up time than
 * the rest of a {@code get}; SnakeYAML's own loader, with every scalar kept as text, costs a fraction. Writing the
 * file still goes through Jackson ({@link ConfigFile}); both read what the other writes. As with Jackson, unknown
 * keys are ignored and a missing or {@code null} value is the field's default; a value of the wrong kind is a
 * {@link Mistake} naming its path.
 */
final class CtlConfigReader {
    /** A value of the wrong kind, e.g. {@code controlPlanes[0].coordinates: expected a mapping, got text}. */
    static final class Mistake extends Exception {
        Mistake(String message) {
            super(message);
        }
    }

    private CtlConfigReader() {
    }

    static CtlConfig read(String text) throws Mistake {
        Object root;
        try {
            root = yaml().load(text);
        } catch (YAMLException e) {
            throw new Mistake(e.getMessage());
        }
        if (root == null) {
            return CtlConfig.defaults();
        }
        Map<String, Object> top = mapping(root, "the file");
        List<CtlConfig.Context> contexts = new ArrayList<>();
        List<Object> contextItems = sequence(top.get("contexts"), "contexts");
        for (int i = 0; i < contextItems.size(); i++) {
            String at = "contexts[" + i + "]";
            Map<String, Object> context = mapping(contextItems.get(i), at);
            contexts.add(new CtlConfig.Context(text(context.get("name"), at + ".name"),
                    text(context.get("controlPlane"), at + ".controlPlane")));
        }
        List<CtlConfig.ControlPlane> controlPlanes = new ArrayList<>();
        List<Object> cpItems = sequence(top.get("controlPlanes"), "controlPlanes");
        for (int i = 0; i < cpItems.size(); i++) {
            String at = "controlPlanes[" + i + "]";
            Map<String, Object> cp = mapping(cpItems.get(i), at);
            Map<String, Object> coordinates = mapping(cp.get("coordinates"), at + ".coordinates");
            controlPlanes.add(new CtlConfig.ControlPlane(text(cp.get("name"), at + ".name"),
                    new CtlConfig.Coordinates(apiServer(coordinates.get("apiServer"),
                            at + ".coordinates.apiServer"))));
        }
        return new CtlConfig(contexts, controlPlanes, text(top.get("currentContext"), "currentContext"));
    }

    private static CtlConfig.ApiServer apiServer(Object value, String at) throws Mistake {
        Map<String, Object> server = mapping(value, at);
        List<CtlConfig.Header> headers = new ArrayList<>();
        List<Object> headerItems = sequence(server.get("headers"), at + ".headers");
        for (int i = 0; i < headerItems.size(); i++) {
            String headerAt = at + ".headers[" + i + "]";
            Map<String, Object> header = mapping(headerItems.get(i), headerAt);
            headers.add(new CtlConfig.Header(text(header.get("key"), headerAt + ".key"),
                    text(header.get("value"), headerAt + ".value")));
        }
        Map<String, String> authConf = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : mapping(server.get("authConf"), at + ".authConf").entrySet()) {
            String entryValue = text(entry.getValue(), at + ".authConf." + entry.getKey());
            if (entryValue != null) {
                authConf.put(entry.getKey(), entryValue);
            }
        }
        return new CtlConfig.ApiServer(text(server.get("url"), at + ".url"), headers,
                text(server.get("caCertFile"), at + ".caCertFile"),
                text(server.get("clientCertFile"), at + ".clientCertFile"),
                text(server.get("clientKeyFile"), at + ".clientKeyFile"),
                text(server.get("authType"), at + ".authType"), authConf,
                flag(server.get("skipVerify"), at + ".skipVerify"));
    }

    private static boolean isNull(Object value) {
        return value == null || "null".equals(value) || "~".equals(value) || "".equals(value);
    }

    /** A mapping, or an empty one for a missing value. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value, String at) throws Mistake {
        if (isNull(value)) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new Mistake(at + ": expected a mapping, got " + kind(value));
    }

    /** A sequence, or an empty one for a missing value. */
    @SuppressWarnings("unchecked")
    private static List<Object> sequence(Object value, String at) throws Mistake {
        if (isNull(value)) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new Mistake(at + ": expected a sequence, got " + kind(value));
    }

    /** Text, or null for a missing value. */
    private static String text(Object value, String at) throws Mistake {
        if (value == null || "null".equals(value) || "~".equals(value)) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new Mistake(at + ": expected text, got " + kind(value));
    }

    private static boolean flag(Object value, String at) throws Mistake {
        String text = text(value, at);
        if (text == null || text.isEmpty() || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        throw new Mistake(at + ": expected true or false, got " + Texts.quote(text));
    }

    private static String kind(Object value) {
        return value instanceof Map ? "a mapping" : value instanceof List ? "a sequence" : "text";
    }

    /** SnakeYAML with Json's limits, resolving no scalar to a type: text stays text, as it is for a field. */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(Json.MAX_YAML_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(Json.MAX_NESTING_DEPTH);
        options.setCodePointLimit(Json.MAX_DOCUMENT_CHARS * 2);
        Resolver textOnly = new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                // none: `true`, `5` and `2024-01-01` are read as text, and converted by the field that wants them
            }
        };
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, textOnly);
    }
}
