package io.ursa.api.codec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A parsed document before its spec is decoded: the meta fields pulled out of either form, and the spec
 * fields as a JSON object. {@code mesh} is empty when the document names none. {@code unknownMeta} are the keys
 * outside the spec that the form does not know (Kubernetes form: top level and {@code metadata}); the Universal
 * form has none, its unknown top-level keys are unknown spec fields.
 */
public record ResourceDocument(Form form, String type, String mesh, String name, ObjectNode spec,
                               List<UnknownField> unknownMeta) {
    public ResourceDocument {
        requireNonNull(form, "form");
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(spec, "spec");
        unknownMeta = List.copyOf(unknownMeta);
    }

    public ResourceDocument(Form form, String type, String mesh, String name, ObjectNode spec) {
        this(form, type, mesh, name, spec, List.of());
    }

    /** Where spec fields live in the original document, to point decode errors at the right place. */
    String specPrefix() {
        return form == Form.KUBERNETES ? "spec" : "";
    }
}
