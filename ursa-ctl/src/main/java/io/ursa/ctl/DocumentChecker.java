package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.Decoded;
import io.ursa.api.codec.Form;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.ResourceDocument;
import io.ursa.api.codec.UnknownField;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.NameRules;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.ValidationException;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import java.util.ArrayList;
import java.util.List;

/**
 * Client-side validation of one {@code apply} document, in either form: decode, then the name rules, then the
 * type's defaults and validator, collecting every violation. Fields point into the document as written: in the
 * Kubernetes form spec fields are under {@code spec.} and the name is {@code metadata.name}. Fields the type does
 * not know are found with the same codec the control plane uses; with {@link UnknownFieldMode#REFUSE} each is a
 * violation, with {@link UnknownFieldMode#WARN} the prepared document carries them.
 */
final class DocumentChecker {
    private final ResourceCodec codec;
    private final UnknownFieldMode unknownFields;

    DocumentChecker(ResourceCodec codec, UnknownFieldMode unknownFields) {
        this.codec = requireNonNull(codec, "codec");
        this.unknownFields = requireNonNull(unknownFields, "unknownFields");
    }

    /** Checks document {@code number} (1-based, counted over the whole input). */
    CheckedDocument check(int number, JsonNode node) {
        ResourceDocument doc;
        try {
            doc = codec.parseDocument(node);
        } catch (DecodeException e) {
            return new CheckedDocument.Invalid(label(number), e.violations());
        }
        boolean meshScoped = codec.types().byName(doc.type()).map(ResourceType::isMeshScoped)
                .orElse(!doc.mesh().isEmpty());
        String label = label(number) + " (" + Texts.describe(doc.type(), meshScoped ? doc.mesh() : "", doc.name())
                + ")";
        Decoded<?> decoded;
        try {
            decoded = codec.decodeReporting(node);
        } catch (DecodeException e) {
            return new CheckedDocument.Invalid(label, e.violations());
        }
        Resource<?> resource = decoded.resource();
        List<Violation> violations = new ArrayList<>(nameViolations(resource, doc.form()));
        if (unknownFields == UnknownFieldMode.REFUSE) {
            decoded.unknownFields().forEach(field -> violations.add(new Violation(
                    pathAsWritten(field, doc), field.violationMessage())));
        }
        Violations spec = new Violations();
        validateSpec(resource, spec);
        violations.addAll(new Violations().addAll(Path.of(doc.form() == Form.KUBERNETES ? "spec" : ""), spec).list());
        if (!violations.isEmpty()) {
            return new CheckedDocument.Invalid(label, violations);
        }
        return new CheckedDocument.Prepared(label, resource.type(), resource.mesh(), resource.name(),
                universalBody(resource.type(), resource.mesh(), resource.name(), doc.spec()),
                decoded.unknownFields(), doc.unknownMeta());
    }

    /** Where an unknown field is in the document as written: spec fields of the Kubernetes form under spec. */
    private static String pathAsWritten(UnknownField field, ResourceDocument doc) {
        return doc.form() == Form.KUBERNETES && !doc.unknownMeta().contains(field)
                ? "spec." + field.path() : field.path();
    }

    static String label(int number) {
        return "document " + number;
    }

    private static List<Violation> nameViolations(Resource<?> resource, Form form) {
        Violations names = new Violations();
        NameRules.validate(resource.type(), resource.mesh(), resource.name(), names);
        return names.list().stream()
                .map(v -> form == Form.KUBERNETES && v.field().equals("name")
                        ? new Violation("metadata.name", v.message()) : v)
                .toList();
    }

    private static <S extends Spec> void validateSpec(Resource<S> resource, Violations violations) {
        ResourceType<S> type = resource.type();
        try {
            type.validator().validate(type.applyDefaults(resource.spec()), violations);
        } catch (ValidationException e) {
            e.violations().forEach(violations::add);
        }
    }

    /**
     * The body sent to the API: the document's own spec fields in the Universal form. The control plane decodes
     * and defaults them itself; sending them as written keeps fields this client's records may not model.
     */
    private static ObjectNode universalBody(ResourceType<?> type, String mesh, String name, ObjectNode spec) {
        ObjectNode body = Json.json().createObjectNode();
        body.put("type", type.name());
        if (type.isMeshScoped()) {
            body.put("mesh", mesh);
        }
        body.put("name", name);
        body.setAll(spec);
        return body;
    }
}
