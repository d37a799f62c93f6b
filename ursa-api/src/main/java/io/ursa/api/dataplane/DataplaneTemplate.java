package io.ursa.api.dataplane;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.ResourceDocument;
import io.ursa.api.codec.Templates;
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
 * A proxy's own definition as its agent takes it ({@code ursa-dp run --dataplane-file}, {@code ursactl generate
 * grpc-bootstrap --dataplane-file}): a Mustache template rendered with {@code -v key=value} variables, decoded from
 * either resource form and validated, so a bad definition fails on the user's machine before the control plane
 * sees it. {@code json} is the resource in Universal (REST) form, as bootstraps carry it.
 */
public record DataplaneTemplate(Resource<?> resource, String json) {
    public DataplaneTemplate {
        requireNonNull(resource, "resource");
        requireNonNull(json, "json");
    }

    /** The definition cannot be used; the message names the source and lists every problem. */
    public static final class InvalidTemplateException extends RuntimeException {
        InvalidTemplateException(String message) {
            super(message);
        }
    }

    /**
     * Renders, decodes and validates {@code text} read from {@code source} (a file name, or a flag for inline
     * text), which must be one resource of type {@code expectedType}.
     *
     * @throws InvalidTemplateException with every problem, one {@code * field: message} per line
     */
    public static DataplaneTemplate load(String text, String source, Map<String, String> variables,
                                         ResourceType<?> expectedType, ResourceCodec codec) {
        requireNonNull(text, "text");
        requireNonNull(source, "source");
        requireNonNull(variables, "variables");
        requireNonNull(expectedType, "expectedType");
        requireNonNull(codec, "codec");
        String rendered;
        try {
            rendered = Templates.render(text, variables, source);
        } catch (Templates.TemplateException e) {
            throw new InvalidTemplateException("could not render the dataplane template " + source + ": "
                    + e.getCause().getMessage());
        }
        ResourceDocument document;
        try {
            document = codec.parseDocument(singleDocument(codec, rendered, source));
        } catch (DecodeException e) {
            throw invalid(source, e.violations());
        }
        if (!document.type().equals(expectedType.name())) {
            throw new InvalidTemplateException("invalid proxy resource type \"" + document.type() + "\" in "
                    + source + ", expected " + expectedType.name());
        }
        Resource<?> resource;
        try {
            resource = codec.toResource(expectedType, document);
        } catch (DecodeException e) {
            throw invalid(source, e.violations());
        }
        Violations violations = new Violations();
        NameRules.validate(expectedType, resource.mesh(), resource.name(), violations);
        validateSpec(resource, violations);
        if (!violations.isEmpty()) {
            throw invalid(source, violations.list());
        }
        return new DataplaneTemplate(resource, codec.writeJson(codec.toUniversal(resource)));
    }

    private static JsonNode singleDocument(ResourceCodec codec, String rendered, String source) {
        List<JsonNode> documents;
        try {
            documents = codec.parseYamlDocuments(rendered);
        } catch (DecodeException e) {
            throw invalid(source, e.violations());
        }
        if (documents.size() != 1) {
            throw new InvalidTemplateException("the dataplane definition in " + source + " has "
                    + documents.size() + " documents (expected: exactly one)");
        }
        return documents.get(0);
    }

    private static <S extends Spec> void validateSpec(Resource<S> resource, Violations violations) {
        resource.type().validator().validate(resource.type().applyDefaults(resource.spec()), violations);
    }

    private static InvalidTemplateException invalid(String source, List<Violation> violations) {
        return new InvalidTemplateException("invalid dataplane definition in " + source + ":\n"
                + violations.stream().map(v -> "* " + v).collect(Collectors.joining("\n")));
    }
}
