package io.ursa.cp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.core.config.ConfigException;
import io.ursa.core.config.ConfigLoader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpConfigTest {

    @Test
    void defaultsFileSetsEveryField() throws Exception {
        CpConfig config = CpConfigLoader.load(null, Map.of()).config();
        List<String> missing = new ArrayList<>();
        collectNulls(config, "", missing);
        assertThat(missing).as("record components with no value in defaults.yaml").isEmpty();
    }

    @Test
    void defaultsMatchKumaPortsAndDocumentedValues() {
        CpConfig config = CpConfigLoader.load(null, Map.of()).config();
        assertThat(config.apiServer().http().port()).isEqualTo(5681);
        assertThat(config.diagnostics().serverPort()).isEqualTo(5680);
        assertThat(config.dpServer().port()).isEqualTo(5678);
        assertThat(config.store().type()).isEqualTo(CpConfig.StoreType.embedded);
        assertThat(config.apiServer().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(config.defaults().skipMeshCreation()).isFalse();
        assertThat(config.xdsServer().generationThreads()).isZero(); // one per core
        assertThat(config.dpServer().plaintext()).as("TLS by default").isFalse();
        assertThat(config.dpServer().maxStreamsPerClient()).isEqualTo(512);
        assertThat(config.general().tlsCertFile()).isEmpty();
        assertThat(config.general().tlsKeyFile()).isEmpty();
        assertThat(config.general().tlsSubjectAltNames()).isEmpty();
        assertThat(config.general().tlsMinVersion()).isEqualTo(CpConfig.General.TlsVersion.TLSv1_2);
        assertThat(config.general().http()).isEqualTo(new CpConfig.General.Http("10s", "30s", "60s"));
    }

    @Test
    void readsAKumaVariableWhenItsUrsaOneIsNotSetAndSaysSo() {
        var loaded = CpConfigLoader.load(null, Map.of(
                "KUMA_STORE_TYPE", "memory",
                "KUMA_API_SERVER_HTTP_PORT", "15681", "URSA_API_SERVER_HTTP_PORT", "25681",
                "KUMA_NO_SUCH_SETTING", "x"));

        assertThat(loaded.config().store().type()).isEqualTo(CpConfig.StoreType.memory);
        assertThat(loaded.config().apiServer().http().port()).as("the URSA_ one wins").isEqualTo(25681);
        assertThat(loaded.kumaAliases()).containsExactly("KUMA_STORE_TYPE");
        assertThat(loaded.kumaAliasNotice("KUMA_STORE_TYPE")).isEqualTo("using KUMA_STORE_TYPE for URSA_STORE_TYPE"
                + " (a Kuma variable; set the URSA_ one to silence this notice)");
        assertThat(loaded.unknownEnv()).as("only URSA_ names are reported unknown").isEmpty();
    }

    @Test
    void bindsKumasTlsSettingNamesFromTheEnvironment() {
        CpConfig config = CpConfigLoader.load(null, Map.of(
                "URSA_GENERAL_TLS_CERT_FILE", "/etc/ursa/cert.pem",
                "URSA_GENERAL_TLS_KEY_FILE", "/etc/ursa/key.pem",
                "URSA_GENERAL_TLS_SUBJECT_ALT_NAMES", "cp.example.com, 10.0.0.9",
                "URSA_GENERAL_TLS_MIN_VERSION", "TLSv1_3",
                "URSA_GENERAL_HTTP_HEADER_TIMEOUT", "5s",
                "URSA_DP_SERVER_PLAINTEXT", "true",
                "URSA_DP_SERVER_TLS_CERT_FILE", "/etc/ursa/dp.pem",
                "URSA_DP_SERVER_MAX_STREAMS_PER_CLIENT", "0")).config();

        assertThat(config.general().tlsCertFile()).isEqualTo("/etc/ursa/cert.pem");
        assertThat(config.general().tlsKeyFile()).isEqualTo("/etc/ursa/key.pem");
        assertThat(config.general().tlsSubjectAltNames()).containsExactly("cp.example.com", "10.0.0.9");
        assertThat(config.general().tlsMinVersion()).isEqualTo(CpConfig.General.TlsVersion.TLSv1_3);
        assertThat(config.general().http().headerTimeout()).isEqualTo("5s");
        assertThat(config.dpServer().plaintext()).isTrue();
        assertThat(config.dpServer().tlsCertFile()).isEqualTo("/etc/ursa/dp.pem");
        assertThat(config.dpServer().maxStreamsPerClient()).isZero();
    }

    @Test
    void refusesAnUnknownTlsVersion() {
        assertThatThrownBy(() -> CpConfigLoader.load(null, Map.of("URSA_GENERAL_TLS_MIN_VERSION", "TLSv1_1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TLSv1_1");
    }

    @Test
    void everyDefaultsKeyIsDocumentedWithAComment() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(
                CpConfigTest.class.getClassLoader().getResource(CpConfigLoader.DEFAULTS_RESOURCE).toURI()));
        Map<String, Integer> keyLines = keyLines(lines);
        var tree = CpConfigLoader.load(null, Map.of()).tree();
        for (String leaf : ConfigLoader.leafPaths(tree)) {
            assertThat(keyLines).as("defaults.yaml keys").containsKey(leaf);
            assertThat(documented(lines, keyLines.get(leaf))).as("a comment above %s (or above its group)", leaf)
                    .isTrue();
        }
    }

    /** Full key path of every "key:" line, tracking nesting by indentation. */
    private static Map<String, Integer> keyLines(List<String> lines) {
        Map<String, Integer> out = new java.util.HashMap<>();
        java.util.Deque<Map.Entry<Integer, String>> stack = new java.util.ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("-") || !trimmed.contains(":")) {
                continue;
            }
            int indent = line.indexOf(trimmed);
            while (!stack.isEmpty() && stack.peek().getKey() >= indent) {
                stack.pop();
            }
            String key = trimmed.substring(0, trimmed.indexOf(':'));
            String path = stack.isEmpty() ? key : stack.peek().getValue() + "." + key;
            stack.push(Map.entry(indent, path));
            out.put(path, i);
        }
        return out;
    }

    /** A comment sits right above the key, or above the run of sibling keys it belongs to. */
    private static boolean documented(List<String> lines, int keyLine) {
        String key = lines.get(keyLine);
        int indent = key.indexOf(key.trim());
        for (int i = keyLine - 1; i >= 0; i--) {
            String line = lines.get(i);
            String trimmed = line.trim();
            int lineIndent = line.indexOf(trimmed);
            if (trimmed.startsWith("#") && lineIndent == indent) {
                return true;
            }
            if (trimmed.isEmpty() || lineIndent != indent || trimmed.startsWith("-")) {
                return false;
            }
        }
        return false;
    }

    @Test
    void environmentOverridesUseUpperSnakeKeyPaths() {
        var loaded = CpConfigLoader.load(null, Map.of(
                "URSA_API_SERVER_HTTP_PORT", "15681",
                "URSA_STORE_TYPE", "memory",
                "URSA_STORE_EMBEDDED_DIR", "/tmp/x",
                "URSA_DEFAULTS_SKIP_MESH_CREATION", "true",
                "URSA_API_SERVER_CORS_ALLOWED_DOMAINS", "https://a.example, https://b.example"));
        CpConfig config = loaded.config();
        assertThat(config.apiServer().http().port()).isEqualTo(15681);
        assertThat(config.store().type()).isEqualTo(CpConfig.StoreType.memory);
        assertThat(config.store().embedded().dir()).isEqualTo("/tmp/x");
        assertThat(config.defaults().skipMeshCreation()).isTrue();
        assertThat(config.apiServer().corsAllowedDomains()).containsExactly("https://a.example", "https://b.example");
        assertThat(loaded.appliedEnv()).contains("URSA_API_SERVER_HTTP_PORT", "URSA_STORE_TYPE");
    }

    @Test
    void reportsUnknownUrsaVariables() {
        var loaded = CpConfigLoader.load(null, Map.of("URSA_API_SERVER_HTTP_PROT", "1", "HOME", "/root",
                "URSA_CDS_ARCHIVE", "off"));
        assertThat(loaded.unknownEnv()).as("URSA_CDS_ARCHIVE is bin/launch.sh's, not unknown")
                .containsExactly("URSA_API_SERVER_HTTP_PROT");
    }

    @Test
    void namesTheClosestKnownVariableForAnUnknownOne() {
        var loaded = CpConfigLoader.load(null, Map.of(
                "URSA_API_SERVER_AUTH_LOCALHOST_IS_ADMIN", "false", "URSA_COMPLETELY_UNRELATED_THING", "1"));
        assertThat(loaded.unknownEnvWarning("URSA_API_SERVER_AUTH_LOCALHOST_IS_ADMIN")).isEqualTo(
                "ignoring unknown environment variable URSA_API_SERVER_AUTH_LOCALHOST_IS_ADMIN"
                        + " (did you mean URSA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN?)");
        assertThat(loaded.unknownEnvWarning("URSA_COMPLETELY_UNRELATED_THING"))
                .isEqualTo("ignoring unknown environment variable URSA_COMPLETELY_UNRELATED_THING");
    }

    @Test
    void kumasAuthnNamesSetTheApiServersAuthentication() {
        CpConfig config = CpConfigLoader.load(null, Map.of(
                "URSA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN", "false",
                "URSA_API_SERVER_AUTHN_TOKENS_BOOTSTRAP_ADMIN_TOKEN", "false")).config();
        assertThat(config.apiServer().authn().localhostIsAdmin()).isFalse();
        assertThat(config.apiServer().authn().tokens().bootstrapAdminToken()).isFalse();
        assertThat(config.apiServer().authn().type()).isEqualTo(CpConfig.ApiServer.AuthnType.tokens);
    }

    @Test
    void secureDefaults() {
        CpConfig config = CpConfigLoader.load(null, Map.of()).config();
        assertThat(config.apiServer().corsAllowedDomains()).as("no origin may call the API from a browser").isEmpty();
        assertThat(config.apiServer().https().enabled()).isTrue();
        assertThat(config.apiServer().https().port()).isEqualTo(5682);
        assertThat(config.apiServer().authn().localhostIsAdmin()).isTrue();
    }

    @Test
    void httpTimeoutsHaveKumasNamesAndDefaults() {
        CpConfig defaults = CpConfigLoader.load(null, Map.of()).config();
        CpConfig set = CpConfigLoader.load(null, Map.of("URSA_GENERAL_HTTP_HEADER_TIMEOUT", "5s",
                "URSA_GENERAL_HTTP_BODY_TIMEOUT", "1m", "URSA_GENERAL_HTTP_IDLE_TIMEOUT", "0s")).config();

        assertThat(defaults.general().http()).isEqualTo(new CpConfig.General.Http("10s", "30s", "60s"));
        assertThat(set.general().http()).isEqualTo(new CpConfig.General.Http("5s", "1m", "0s"));
    }

    @Test
    void refusesANonNumberForANumericKey() {
        assertThatThrownBy(() -> CpConfigLoader.load(null, Map.of("URSA_API_SERVER_HTTP_PORT", "http")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("URSA_API_SERVER_HTTP_PORT=http is not an integer");
    }

    @Test
    void refusesAnUnknownStoreType() {
        assertThatThrownBy(() -> CpConfigLoader.load(null, Map.of("URSA_STORE_TYPE", "etcd")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("etcd");
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cp.yaml");
        Files.writeString(file, "apiServer:\n  http:\n    port: 7000\n  readOnly: true\n");
        CpConfig config = CpConfigLoader.load(file, Map.of("URSA_API_SERVER_HTTP_PORT", "7001")).config();
        assertThat(config.apiServer().http().port()).isEqualTo(7001);
        assertThat(config.apiServer().readOnly()).isTrue();
        assertThat(config.apiServer().http().iface()).isEqualTo("0.0.0.0");
    }

    @Test
    void refusesUnknownKeysInTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cp.yaml");
        Files.writeString(file, "apiServer:\n  htpp:\n    port: 7000\n");
        assertThatThrownBy(() -> CpConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key: apiServer.htpp (did you mean apiServer.http?)");
    }

    @Test
    void refusesAMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> CpConfigLoader.load(dir.resolve("nope.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file not found");
    }

    private static void collectNulls(Object value, String path, List<String> missing) throws Exception {
        if (value == null) {
            missing.add(path);
            return;
        }
        if (!value.getClass().isRecord()) {
            return;
        }
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            collectNulls(c.getAccessor().invoke(value), path.isEmpty() ? c.getName() : path + "." + c.getName(),
                    missing);
        }
    }
}
