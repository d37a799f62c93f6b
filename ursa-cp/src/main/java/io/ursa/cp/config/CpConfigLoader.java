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

    public static ConfigLoader.Loaded<CpConfig> load(Path userFile, Map<String, String> env) {
        return new ConfigLoader(ENV_PREFIX).load(DEFAULTS_RESOURCE, CpConfig.class, userFile, env);
    }
}
