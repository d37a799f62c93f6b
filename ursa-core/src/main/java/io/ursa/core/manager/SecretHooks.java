package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.Mtls;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.Optional;

/**
 * A Secret that one of its mesh's mTLS backends uses cannot be deleted (spec §4.3); each CA plugin says which
 * secrets its backend uses.
 */
final class SecretHooks implements TypeHooks<SecretSpec> {
    private final ResourceManager manager;
    private final CaBackends caBackends;

    SecretHooks(ResourceManager manager, CaBackends caBackends) {
        this.manager = requireNonNull(manager, "manager");
        this.caBackends = requireNonNull(caBackends, "caBackends");
    }

    @Override
    public void beforeDelete(Resource<SecretSpec> current, Violations violations) {
        Optional<Resource<MeshSpec>> mesh = manager.get(ResourceTypes.MESH, "", current.mesh());
        if (mesh.isEmpty() || mesh.get().spec().mtls() == null) {
            return;
        }
        for (Mtls.Backend backend : mesh.get().spec().mtls().backends()) {
            boolean used = caBackends.plugin(backend.type())
                    .map(p -> p.usedSecrets(caBackends.context(current.mesh(), backend)).contains(current.name()))
                    .orElse(false);
            if (used) {
                violations.add(Path.of("name"), "The secret \"" + current.name() + "\" that you are trying to remove"
                        + " is currently in use in Mesh \"" + current.mesh() + "\" in mTLS backend \"" + backend.name()
                        + "\". Please remove the reference from the \"" + backend.name()
                        + "\" backend before removing the secret.");
            }
        }
    }
}
