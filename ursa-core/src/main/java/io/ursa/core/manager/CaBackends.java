package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.mesh.Mtls;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.ca.SecretAccess;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The installed CA plugins by type, and the context each sees of one mesh's backend. */
final class CaBackends {
    private final Map<String, CaPlugin> plugins;
    private final SecretAccess secrets;

    CaBackends(List<CaPlugin> plugins, SecretAccess secrets) {
        this.plugins = plugins.stream().collect(Collectors.toUnmodifiableMap(CaPlugin::type, Function.identity()));
        this.secrets = requireNonNull(secrets, "secrets");
    }

    Optional<CaPlugin> plugin(String type) {
        return Optional.ofNullable(plugins.get(type));
    }

    CaBackendContext context(String mesh, Mtls.Backend backend) {
        return context(mesh, backend, secrets);
    }

    /** The context with its own access to Secrets (one that collects what the backend creates, for example). */
    CaBackendContext context(String mesh, Mtls.Backend backend, SecretAccess secrets) {
        ObjectNode conf = backend.conf() == null ? JsonNodeFactory.instance.objectNode() : backend.conf();
        return new CaBackendContext(mesh, backend.name(), backend.type(), conf, secrets);
    }
}
