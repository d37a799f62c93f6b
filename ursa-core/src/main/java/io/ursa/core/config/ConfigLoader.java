package io.ursa.core.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a configuration in three layers, later ones winning: the documented defaults file on the classpath, an
 * optional user file, then environment variables. A key path such as {@code apiServer.http.port} is overridden
 * by {@code <PREFIX>_API_SERVER_HTTP_PORT}. Only keys that exist in the defaults can be set; anything else is an
 * error that names the key, so a typo never silently does nothing.
 */
public final class ConfigLoader {
    private final String envPrefix;
    private final ObjectMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public ConfigLoader(String envPrefix) {
        this.envPrefix = requireNonNull(envPrefix, "envPrefix");
    }

    /**
     * The result: the merged tree, bound to {@code type}, the environment variables that were applied, and those
     * with the prefix that name no key.
     */
    public record Loaded<T>(T config, ObjectNode tree, List<String> appliedEnv, List<String> unknownEnv,
                            Set<String> knownEnv, List<String> kumaAliases) {
        /** The notice for a Kuma variable read in place of its Ursa one ({@code KUMA_X} from {@link #kumaAliases}). */
        public String kumaAliasNotice(String kumaName) {
            return "using " + kumaName + " for " + "URSA" + kumaName.substring(KUMA_PREFIX.length())
                    + " (a Kuma variable; set the URSA_ one to silence this notice)";
        }

        /**
         * The warning for an unknown variable: {@code ignoring unknown environment variable X}, with the closest
         * known one when there is a likely candidate ({@code (did you mean Y?)}).
         */
        public String unknownEnvWarning(String name) {
            return "ignoring unknown environment variable " + name + ClosestName.to(name, knownEnv)
                    .map(known -> " (did you mean " + known + "?)").orElse("");
        }
    }

    public <T> Loaded<T> load(String defaultsResource, Class<T> type, Path userFile, Map<String, String> env) {
        ObjectNode tree = readDefaults(defaultsResource);
        if (userFile != null) {
            merge(tree, readUserFile(userFile), "");
        }
        TreeSet<String> known = new TreeSet<>();
        collectEnvNames(tree, "", known);
        List<String> aliases = new ArrayList<>();
        Map<String, String> effective = withKumaAliases(env, known, aliases);
        List<String> applied = new ArrayList<>();
        applyEnv(tree, "", effective, applied);
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith(envPrefix + "_") && !known.contains(name)
                    && !name.equals(envPrefix + LAUNCHER_VARIABLE_SUFFIX)) {
                unknown.add(name);
            }
        }
        try {
            return new Loaded<>(yaml.treeToValue(tree, type), tree, applied, unknown, Set.copyOf(known),
                    List.copyOf(aliases));
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
        }
    }

    /** The prefix of the variables of Kuma's programs, read as a migration aid. */
    static final String KUMA_PREFIX = "KUMA";
    /** {@code URSA_CDS_ARCHIVE}: read by {@code bin/launch.sh}, not by the program, so never an unknown variable. */
    static final String LAUNCHER_VARIABLE_SUFFIX = "_CDS_ARCHIVE";

    /**
     * {@code env} plus, for each known variable that is not set, its Kuma spelling's value when that is set
     * ({@code KUMA_STORE_TYPE} for {@code URSA_STORE_TYPE}), so a Kuma user's unit file or env file works; the Kuma
     * names used are added to {@code aliases}, sorted. Only a variable with an Ursa equivalent is read.
     */
    private Map<String, String> withKumaAliases(Map<String, String> env, Set<String> known, List<String> aliases) {
        Map<String, String> effective = new java.util.HashMap<>(env);
        for (String name : known) {
            String kuma = KUMA_PREFIX + name.substring(envPrefix.length());
            if (!env.containsKey(name) && env.containsKey(kuma)) {
                effective.put(name, env.get(kuma));
                aliases.add(kuma);
            }
        }
        return effective;
    }

    /** The environment variable that overrides {@code keyPath}, e.g. {@code URSA_API_SERVER_HTTP_PORT}. */
    public String envName(String keyPath) {
        StringBuilder sb = new StringBuilder(envPrefix);
        for (String part : keyPath.split("\\.")) {
            sb.append('_');
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (Character.isUpperCase(c) && i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    /** Every leaf key path of a tree, in document order. */
    public static List<String> leafPaths(JsonNode tree) {
        List<String> out = new ArrayList<>();
        collectLeaves(tree, "", out);
        return out;
    }

    private static void collectLeaves(JsonNode node, String path, List<String> out) {
        if (node.isObject() && node.size() > 0) {
            node.fields().forEachRemaining(e -> collectLeaves(e.getValue(), join(path, e.getKey()), out));
        } else {
            out.add(path);
        }
    }

    private ObjectNode readDefaults(String resource) {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("defaults resource not found on the classpath: " + resource);
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new ConfigException("could not read defaults " + resource + ": " + e.getMessage(), e);
        }
    }

    private ObjectNode readUserFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file not found: " + file.toAbsolutePath());
        }
        try {
            JsonNode node = yaml.readTree(file.toFile());
            if (node == null || node.isNull() || node.isMissingNode()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!(node instanceof ObjectNode object)) {
                throw new ConfigException("config file " + file + " must hold a YAML mapping");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new ConfigException("could not parse config file " + file + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("could not read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode overlay, String path) {
        Iterator<Map.Entry<String, JsonNode>> it = overlay.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = join(path, e.getKey());
            JsonNode current = target.get(e.getKey());
            if (current == null) {
                List<String> siblings = new ArrayList<>();
                target.fieldNames().forEachRemaining(name -> siblings.add(join(path, name)));
                throw new ConfigException("unknown configuration key: " + key + ClosestName.to(key, siblings)
                        .map(known -> " (did you mean " + known + "?)").orElse(""));
            }
            if (current.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new ConfigException("configuration key " + key + " must be a mapping");
                }
                merge((ObjectNode) current, (ObjectNode) e.getValue(), key);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private void applyEnv(ObjectNode node, String path, Map<String, String> env, List<String> applied) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String field : names) {
            JsonNode child = node.get(field);
            String key = join(path, field);
            if (child.isObject()) {
                applyEnv((ObjectNode) child, key, env, applied);
                continue;
            }
            String name = envName(key);
            String value = env.get(name);
            if (value == null) {
                continue;
            }
            node.set(field, parseEnvValue(name, child, value));
            applied.add(name);
        }
    }

    private void collectEnvNames(JsonNode node, String path, TreeSet<String> out) {
        node.fields().forEachRemaining(e -> {
            String key = join(path, e.getKey());
            if (e.getValue().isObject()) {
                collectEnvNames(e.getValue(), key, out);
            } else {
                out.add(envName(key));
            }
        });
    }

    private static JsonNode parseEnvValue(String name, JsonNode template, String value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String v = value.trim();
        if (template.isBoolean()) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new ConfigException(name + "=" + value + " is not a boolean (expected: true or false)");
            }
            return f.booleanNode(Boolean.parseBoolean(v));
        }
        if (template.isIntegralNumber()) {
            try {
                return f.numberNode(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new ConfigException(name + "=" + value + " is not an integer");
            }
        }
        if (template.isArray()) {
            ArrayNode array = f.arrayNode();
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    array.add(part.trim());
                }
            }
            return array;
        }
        return f.textNode(value);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
