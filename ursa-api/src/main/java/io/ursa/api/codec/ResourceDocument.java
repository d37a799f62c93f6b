package io.ursa.api.codec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed document before its spec is decoded: the meta fields pulled out of either form, and the spec
 * fields as a JSON object. {@code mesh} is empty when the document names none.
 */
public record ResourceDocument(Form form, String type, String mesh, String name, ObjectNode spec) {
    public ResourceDocument {
        requireNonNull(form, "form");
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(spec, "spec");
    }

    /** Where spec fields live in the original document, to point decode errors at the right place. */
    String specPrefix() {
        return form == Form.KUBERNETES ? "spec" : "";
    }
}
