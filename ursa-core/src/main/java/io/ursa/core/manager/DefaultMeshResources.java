package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.ResourceDocument;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.tokens.RsaKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every new mesh gets (spec §4.2): the dataplane-token signing key {@code dataplane-token-signing-key-<mesh>-1}
 * (always) and the default policies of {@code mesh-default-policies.yaml} (unless the mesh's
 * {@code skipCreatingInitialPolicies} names their type or {@code *}). Existing resources are never overwritten. They
 * are created in the same store transaction as the mesh ({@link MeshHooks#createdWith}).
 */
final class DefaultMeshResources {
    private static final String POLICIES = "io/ursa/core/manager/mesh-default-policies.yaml";
    static final String SIGNING_KEY_PREFIX = "dataplane-token-signing-key-";

    private final ResourceManager manager;
    private final ResourceCodec codec;
    private final List<ResourceDocument> policyTemplates;

    DefaultMeshResources(ResourceManager manager, ResourceCodec codec) {
        this.manager = requireNonNull(manager, "manager");
        this.codec = requireNonNull(codec, "codec");
        this.policyTemplates = codec.parseYamlDocuments(readTemplates()).stream()
                .map(codec::parseDocument)
                .toList();
    }

    /**
     * The default resources {@code mesh} does not have yet, to be created with it: the default policies (but those
     * {@code skipCreatingInitialPolicies} names) in template order, then the signing key (a new RSA key, made only
     * when it is missing).
     */
    List<Resource<?>> missing(String mesh, List<String> skipCreatingInitialPolicies) {
        Set<String> skip = Set.copyOf(skipCreatingInitialPolicies);
        List<Resource<?>> missing = new ArrayList<>();
        for (ResourceDocument template : policyTemplates) {
            if (skip.contains("*") || skip.contains(template.type())) {
                continue;
            }
            ResourceType<?> type = codec.types().byName(template.type())
                    .orElseThrow(() -> new IllegalStateException("default policy of unknown type " + template.type()));
            policyIfMissing(type, template, mesh).ifPresent(missing::add);
        }
        String signingKey = SIGNING_KEY_PREFIX + mesh + "-1";
        if (manager.get(ResourceTypes.SECRET, mesh, signingKey).isEmpty()) {
            missing.add(Resource.of(ResourceTypes.SECRET, mesh, signingKey, SecretSpec.of(RsaKeys.newPrivateKeyPem())));
        }
        return missing;
    }

    private <S extends Spec> Optional<Resource<?>> policyIfMissing(ResourceType<S> type, ResourceDocument template,
                                                                   String mesh) {
        String name = template.name() + "-" + mesh;
        if (manager.get(type, mesh, name).isPresent()) {
            return Optional.empty();
        }
        Resource<S> policy = codec.toResource(type, template);
        return Optional.of(Resource.of(type, mesh, name, policy.spec()));
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
