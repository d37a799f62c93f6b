package io.ursa.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kuma 2.0's builtin CA backend validation ({@code pkg/plugins/ca/builtin/manager_test.go}). */
class BuiltinCaPluginTest {
    private final BuiltinCaPlugin plugin = new BuiltinCaPlugin();

    @Test
    void acceptsAValidBackend() throws IOException {
        assertThat(validate("default", "builtin-1", "{caCert: {RSAbits: 2048, expiration: 10y}}")).isEmpty();
        assertThat(validate("default", "ca-1", "{}")).isEmpty();
        assertThat(validate("default", "ca-1", "{caCert: {RSAbits: '4096'}, unknown: 1}")).isEmpty();
    }

    @Test
    void namesItsSecretsLikeKuma() {
        assertThat(BuiltinCaPlugin.certSecretName("demo", "ca-1")).isEqualTo("demo.ca-builtin-cert-ca-1");
        assertThat(BuiltinCaPlugin.keySecretName("demo", "ca-1")).isEqualTo("demo.ca-builtin-key-ca-1");
    }

    @Test
    void usesItsTwoSecrets() throws IOException {
        CaBackendContext context = new CaBackendContext("demo", "ca-1", "builtin",
                (ObjectNode) Json.yaml().readTree("{}"), new InMemorySecrets());

        assertThat(plugin.usedSecrets(context))
                .containsExactlyInAnyOrder("demo.ca-builtin-cert-ca-1", "demo.ca-builtin-key-ca-1");
    }

    @Test
    void reportsAConfThatDoesNotConvertOnTheConfItself() throws IOException {
        assertThat(validate("default", "ca-1", "{caCert: {RSAbits: abc}}")).containsExactly(new Violation("",
                "could not convert backend config: caCert.RSAbits: expected an unsigned 32-bit integer, got: \"abc\""));
        assertThat(validate("default", "ca-1", "{caCert: {expiration: 10}}")).containsExactly(new Violation("",
                "could not convert backend config: caCert.expiration: expected a string, got: 10"));
        assertThat(validate("default", "ca-1", "{caCert: 5}")).containsExactly(new Violation("",
                "could not convert backend config: caCert: expected an object, got: 5"));
    }

    @Test
    void rejectsASecretNameLongerThan255() throws IOException {
        String name = String.join(".", java.util.Collections.nCopies(19, "backend-long"));

        assertThat(validate("default", name, "{}")).containsExactly(
                new Violation("mtls.backends.name", "Backend name is too long. Max length: 255"));
    }

    @Test
    void rejectsUppercase() throws IOException {
        assertThat(validate("default", "builtinCA", "{}")).containsExactly(
                new Violation("mtls.backends.name", "\"builtinCA\" name must be valid dns name"));
        assertThat(validate("Default", "ca", "{}")).containsExactly(
                new Violation("mtls.backends.name", "\"ca\" name must be valid dns name"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"with space", "slash/name", "dots..twice", "é", "quote\"d",
            "label-longer-than-63-xxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void rejectsNamesThatDoNotMakeADnsName(String backendName) throws IOException {
        assertThat(validate("default", backendName, "{}")).containsExactly(new Violation("mtls.backends.name",
                io.ursa.api.mesh.GoQuote.quote(backendName) + " name must be valid dns name"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "a", "ca_1", "ca.1", "x_", "y."})
    void acceptsWhatGovalidatorAccepts(String backendName) throws IOException {
        // Kuma 2.0's govalidator.IsDNSName allows '_' anywhere, a trailing '.' or '_', and labels up to 63.
        assertThat(validate("default", backendName, "{}")).isEmpty();
        assertThat(validate("default", "x".repeat(47), "{}")).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnce() throws IOException {
        String name = "X".repeat(240);

        assertThat(validate("default", name, "{caCert: []}")).containsExactly(
                new Violation("", "could not convert backend config: caCert: expected an object, got: a list"),
                new Violation("mtls.backends.name", "Backend name is too long. Max length: 255"),
                new Violation("mtls.backends.name", "\"" + name + "\" name must be valid dns name"));
    }

    private List<Violation> validate(String mesh, String backend, String confYaml) throws IOException {
        ObjectNode conf = (ObjectNode) Json.yaml().readTree(confYaml);
        Violations violations = new Violations();
        plugin.validate(new CaBackendContext(mesh, backend, "builtin", conf, new InMemorySecrets()), violations);
        return violations.list();
    }
}
