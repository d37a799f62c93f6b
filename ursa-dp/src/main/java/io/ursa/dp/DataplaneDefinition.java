package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.Templates;
import io.ursa.api.codec.ResourceDocument;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.NameRules;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A proxy definition given to {@code run} ({@code --dataplane}, {@code --dataplane-file}): rendered with the
 * template variables, decoded and validated here, so a bad definition fails before the control plane is
 * contacted. {@code json} is the resource in Universal (REST) form, as the bootstrap request carries it.
 */
record DataplaneDefinition(Resource<?> resource, String json) {
    DataplaneDefinition {
        requireNonNull(resource, "resource");
        requireNonNull(json, "json");
    }

    String mesh() {
        return resource.mesh();
    }

    String name() {
        return resource.name();
    }

    /**
     * Renders, decodes and validates {@code text} read from {@code source} (a file name, or a flag for inline
     * text) as the resource {@code proxyType} needs. Every problem is a {@link DpException}; validation lists all
     * violations, one {@code field: message} per line.
     */
    static DataplaneDefinition load(String text, String source, Map<String, String> variables, ProxyType proxyType,
                                    ResourceCodec codec) {
        String rendered;
        try {
            rendered = Templates.render(text, variables, source);
        } catch (Templates.TemplateException e) {
            throw new DpException("could not render the dataplane template " + source + ": "
                    + e.getCause().getMessage());
        }
        ResourceDocument document;
        try {
            document = codec.parseDocument(singleDocument(codec, rendered, source));
        } catch (DecodeException e) {
            throw invalid(source, e.violations());
        }
        if (!document.type().equals(proxyType.resourceType())) {
            throw new DpException("invalid proxy resource type \"" + document.type() + "\" in " + source
                    + ", expected " + proxyType.resourceType() + " (--proxy-type is " + proxyType + ")");
        }
        ResourceType<?> type = codec.types().byName(proxyType.resourceType()).orElseThrow(() -> new DpException(
                "--proxy-type " + proxyType + " needs a " + proxyType.resourceType()
                        + " definition, and this version of Ursa does not support " + proxyType.resourceType()
                        + " resources yet"));
        Resource<?> resource;
        try {
            resource = codec.toResource(type, document);
        } catch (DecodeException e) {
            throw invalid(source, e.violations());
        }
        Violations violations = new Violations();
        NameRules.validate(type, resource.mesh(), resource.name(), violations);
        validateSpec(resource, violations);
        if (!violations.isEmpty()) {
            throw invalid(source, violations.list());
        }
        return new DataplaneDefinition(resource, codec.writeJson(codec.toUniversal(resource)));
    }

    private static JsonNode singleDocument(ResourceCodec codec, String rendered, String source) {
        List<JsonNode> documents = codec.parseYamlDocuments(rendered);
        if (documents.size() != 1) {
            throw new DpException("the dataplane definition in " + source + " has " + documents.size()
                    + " documents (expected: exactly one)");
        }
        return documents.get(0);
    }

    private static <S extends Spec> void validateSpec(Resource<S> resource, Violations violations) {
        resource.type().validator().validate(resource.spec(), violations);
    }

    private static DpException invalid(String source, List<Violation> violations) {
        return new DpException("invalid dataplane definition in " + source + ":\n" + violations.stream()
                .map(v -> "* " + v)
                .collect(Collectors.joining("\n")));
    }
}
