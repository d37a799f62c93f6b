package io.ursa.cp.config;

import io.ursa.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;

/** Loads {@link CpConfig}: {@code defaults.yaml}, then the {@code --config} file, then {@code URSA_*} variables. */
public final class CpConfigLoader {
    public static final String DEFAULTS_RESOURCE = "defaults.yaml";
    public static final String ENV_PREFIX = "URSA";

    private CpConfigLoader() {
    }

    /**
     * Every {@code URSA_*} variable the control plane reads, with its default, one {@code NAME=default} per line in
     * {@code defaults.yaml}'s order, for {@code ursa-cp run --help}.
     */
    public static String environmentHelp() {
        ConfigLoader loader = new ConfigLoader(ENV_PREFIX);
        ConfigLoader.Loaded<CpConfig> defaults = load(null, Map.of());
        StringBuilder out = new StringBuilder("%nEnvironment variables (each overrides the key of defaults.yaml it"
                + " names; a KUMA_* one is read when its URSA_* one is not set):%n");
        for (String path : ConfigLoader.leafPaths(defaults.tree())) {
            com.fasterxml.jackson.databind.JsonNode value = defaults.tree().at("/" + path.replace('.', '/'));
            String text = value.isValueNode() ? value.asText() : value.toString();
            out.append("  ").append(loader.envName(path)).append('=').append(text.replace("%", "%%")).append("%n");
        }
        return out.toString();
    }

    public static ConfigLoader.Loaded<CpConfig> load(Path userFile, Map<String, String> env) {
        return new ConfigLoader(ENV_PREFIX).load(DEFAULTS_RESOURCE, CpConfig.class, userFile, env);
    }
}
