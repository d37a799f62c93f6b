package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.Mtls;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mesh's manager-level rules (spec §3.4–3.6, §4.2, §5.1): CA backends must name an installed plugin and pass
 * its checks; the enabled CA cannot change while mTLS is on; a new mesh gets its default resources; a mesh with
 * dataplanes cannot be deleted.
 */
final class MeshHooks implements TypeHooks<MeshSpec> {
    private static final Logger log = LoggerFactory.getLogger(MeshHooks.class);
    private static final String CA_CHANGE_FORBIDDEN =
            "Changing CA when mTLS is enabled is forbidden. Disable mTLS first and then change the CA";

    private final ResourceManager manager;
    private final CaBackends caBackends;
    private final DefaultMeshResources defaults;

    MeshHooks(ResourceManager manager, CaBackends caBackends, DefaultMeshResources defaults) {
        this.manager = requireNonNull(manager, "manager");
        this.caBackends = requireNonNull(caBackends, "caBackends");
        this.defaults = requireNonNull(defaults, "defaults");
    }

    @Override
    public void beforeCreate(Resource<MeshSpec> resource, Violations violations) {
        validateCaBackends(resource, violations);
    }

    @Override
    public void beforeUpdate(Resource<MeshSpec> current, Resource<MeshSpec> updated, Violations violations) {
        MeshSpec before = current.spec();
        MeshSpec after = updated.spec();
        if (before.mtlsEnabled() && after.mtlsEnabled()
                && !before.mtls().enabledBackend().equals(after.mtls().enabledBackend())) {
            violations.add(Path.of("mtls.enabledBackend"), CA_CHANGE_FORBIDDEN);
        }
        validateCaBackends(updated, violations);
    }

    /**
     * What a new mesh gets, written with it: first what its CA backends need (the builtin CA's key and certificate
     * Secrets), then its default policies and signing key.
     */
    @Override
    public List<Companion> createdWith(Resource<MeshSpec> mesh) {
        SecretsCreatedWithMesh secrets = new SecretsCreatedWithMesh(manager);
        Mtls mtls = mesh.spec().mtls();
        if (mtls != null) {
            for (Mtls.Backend backend : mtls.backends()) {
                caBackends.plugin(backend.type())
                        .ifPresent(plugin -> plugin.ensure(caBackends.context(mesh.name(), backend, secrets)));
            }
        }
        List<Companion> companions = new ArrayList<>(secrets.created());
        companions.addAll(defaults.forNewMesh(mesh.name(), mesh.spec().skipCreatingInitialPolicies()));
        return companions;
    }

    @Override
    public void afterCreate(Resource<MeshSpec> stored) {
        log.info("created mesh {} (mTLS {})", stored.name(),
                stored.spec().mtlsEnabled() ? stored.spec().mtls().enabledBackend() : "off");
    }

    @Override
    public void afterUpdate(Resource<MeshSpec> stored) {
        ensureCas(stored);
    }

    @Override
    public void beforeDelete(Resource<MeshSpec> current, Violations violations) {
        long dataplanes = manager.store().count(ResourceTypes.DATAPLANE, current.name());
        if (dataplanes > 0) {
            log.info("refused to delete mesh {}: {} dataplanes attached", current.name(), dataplanes);
            violations.add(Path.of("mesh"), "unable to delete mesh, there are still some dataplanes attached");
        } else {
            log.info("deleting mesh {} and everything in it", current.name());
        }
    }

    /** Every backend must name an installed CA plugin (checking stops at the first that does not) and pass it. */
    private void validateCaBackends(Resource<MeshSpec> mesh, Violations violations) {
        Mtls mtls = mesh.spec().mtls();
        if (mtls == null) {
            return;
        }
        Path backends = Path.of("mtls.backends");
        for (int i = 0; i < mtls.backends().size(); i++) {
            Mtls.Backend backend = mtls.backends().get(i);
            Optional<CaPlugin> plugin = caBackends.plugin(backend.type());
            if (plugin.isEmpty()) {
                violations.add(backends.index(i).field("type"), "could not find installed plugin for this type");
                return;
            }
            Violations pluginViolations = new Violations();
            plugin.get().validate(caBackends.context(mesh.name(), backend), pluginViolations);
            violations.addAll(backends.index(i).field("conf"), pluginViolations);
        }
    }

    private void ensureCas(Resource<MeshSpec> mesh) {
        Mtls mtls = mesh.spec().mtls();
        if (mtls == null) {
            return;
        }
        for (Mtls.Backend backend : mtls.backends()) {
            caBackends.plugin(backend.type())
                    .ifPresent(plugin -> plugin.ensure(caBackends.context(mesh.name(), backend)));
        }
    }
}
