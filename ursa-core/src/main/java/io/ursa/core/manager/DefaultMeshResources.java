package io.ursa.core.manager;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.ResourceDocument;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.keys.RsaKeyPool;
import io.ursa.core.tokens.RsaKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What every new mesh gets (spec §4.2): the dataplane-token signing key {@code dataplane-token-signing-key-<mesh>-1}
 * (always) and the default policies of {@code mesh-default-policies.yaml} (unless the mesh's
 * {@code skipCreatingInitialPolicies} names their type or {@code *}). They are created in the same store transaction
 * as the mesh ({@link MeshHooks#createdWith}), and existing resources are never overwritten. The templates are
 * constants: they are read and decoded once, when the manager is made.
 */
final class DefaultMeshResources {
    private static final String POLICIES = "io/ursa/core/manager/mesh-default-policies.yaml";
    static final String SIGNING_KEY_PREFIX = "dataplane-token-signing-key-";

    /** A default policy: its type, the name it gets before {@code -<mesh>}, and its spec (shared, immutable). */
    private record Template(ResourceType<?> type, String name, Spec spec) {
    }

    private final List<Template> policyTemplates;

    DefaultMeshResources(ResourceCodec codec) {
        this.policyTemplates = codec.parseYamlDocuments(readTemplates()).stream()
                .map(codec::parseDocument)
                .map(document -> template(codec, document))
                .toList();
    }

    private static Template template(ResourceCodec codec, ResourceDocument document) {
        ResourceType<?> type = codec.types().byName(document.type())
                .orElseThrow(() -> new IllegalStateException("default policy of unknown type " + document.type()));
        return new Template(type, document.name(), codec.toResource(type, document).spec());
    }

    /**
     * The default resources of {@code mesh}, which is being created, to be created with it: the default policies
     * (but those {@code skipCreatingInitialPolicies} names) in template order, then the signing key (a new RSA key,
     * given back to the key pool if the mesh's name turns out taken: several control planes starting together on one
     * store all try to create mesh {@code default}, and only one key is used).
     * Nothing is read: a mesh that does not exist has nothing in it (deleting a mesh deletes its contents in the same
     * write). Should another control plane on the same store create one of them meanwhile, the write of the batch
     * fails on its key and the manager writes them one at a time, keeping the existing one
     * ({@link ResourceManager}).
     */
    List<Companion> forNewMesh(String mesh, List<String> skipCreatingInitialPolicies) {
        Set<String> skip = Set.copyOf(skipCreatingInitialPolicies);
        List<Companion> defaults = new ArrayList<>();
        for (Template template : policyTemplates) {
            if (!skip.contains("*") && !skip.contains(template.type().name())) {
                defaults.add(Companion.of(policy(template, mesh)));
            }
        }
        KeyPair signingKey = RsaKeys.newSigningKey();
        defaults.add(new Companion(Resource.of(ResourceTypes.SECRET, mesh, SIGNING_KEY_PREFIX + mesh + "-1",
                SecretSpec.of(RsaKeys.privateKeyPem(signingKey))), Companion.NOTHING,
                () -> RsaKeyPool.shared().giveBack(signingKey)));
        return defaults;
    }

    @SuppressWarnings("unchecked")
    private static <S extends Spec> Resource<S> policy(Template template, String mesh) {
        return Resource.of((ResourceType<S>) template.type(), mesh, template.name() + "-" + mesh, (S) template.spec());
    }

    private static String readTemplates() {
        try (InputStream in = DefaultMeshResources.class.getClassLoader().getResourceAsStream(POLICIES)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + POLICIES);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
