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
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every new mesh gets (spec §4.2): the dataplane-token signing key {@code dataplane-token-signing-key-<mesh>-1}
 * (always) and the default policies of {@code mesh-default-policies.yaml} (unless the mesh's
 * {@code skipCreatingInitialPolicies} names their type or {@code *}). Existing resources are never overwritten.
 */
final class DefaultMeshResources {
    private static final Logger log = LoggerFactory.getLogger(DefaultMeshResources.class);
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

    void ensure(String mesh, List<String> skipCreatingInitialPolicies) {
        Set<String> skip = Set.copyOf(skipCreatingInitialPolicies);
        for (ResourceDocument template : policyTemplates) {
            if (skip.contains("*") || skip.contains(template.type())) {
                continue;
            }
            ResourceType<?> type = codec.types().byName(template.type())
                    .orElseThrow(() -> new IllegalStateException("default policy of unknown type " + template.type()));
            createPolicy(type, template, mesh);
        }
        ensureSigningKey(mesh);
    }

    private <S extends Spec> void createPolicy(ResourceType<S> type, ResourceDocument template, String mesh) {
        Resource<S> policy = codec.toResource(type, template);
        String name = template.name() + "-" + mesh;
        if (manager.createIfAbsent(type, mesh, name, policy.spec())) {
            log.debug("created default {} {}/{}", type.name(), mesh, name);
        }
    }

    private void ensureSigningKey(String mesh) {
        String name = SIGNING_KEY_PREFIX + mesh + "-1";
        if (manager.get(ResourceTypes.SECRET, mesh, name).isEmpty()) {
            manager.createIfAbsent(ResourceTypes.SECRET, mesh, name, SecretSpec.of(RsaKeys.newPrivateKeyPem()));
        }
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
