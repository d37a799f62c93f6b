package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.UnknownField;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.validation.Violation;
import java.util.List;

/** One document of {@code apply} after client-side validation: ready to send, or invalid with its violations. */
sealed interface CheckedDocument {
    /** {@code document 2 (TrafficRoute "route-1" in mesh "default")}, or {@code document 2} when unreadable. */
    String label();

    /**
     * A valid document and the Universal JSON body to {@code PUT}. {@code unknownFields} are the fields the codec
     * dropped; {@code unsent} are those of them the body leaves out (unknown meta keys of the Kubernetes form), so
     * that the control plane cannot warn about them.
     */
    record Prepared(String label, ResourceType<?> type, String mesh, String name, ObjectNode body,
                    List<UnknownField> unknownFields, List<UnknownField> unsent)
            implements CheckedDocument {
        public Prepared {
            requireNonNull(label, "label");
            requireNonNull(type, "type");
            requireNonNull(mesh, "mesh");
            requireNonNull(name, "name");
            body = body.deepCopy();
            unknownFields = List.copyOf(unknownFields);
            unsent = List.copyOf(unsent);
        }

        /** The warnings for {@code fields}, as the control plane words them. */
        List<String> warnings(List<UnknownField> fields) {
            return UnknownField.warnings(type.name(), name, fields);
        }

        @Override
        public ObjectNode body() {
            return body.deepCopy();
        }

        String path() {
            return ResourcePaths.item(type, mesh, name);
        }

        /** {@code TrafficRoute "route-1" in mesh "default"}. */
        String description() {
            return Texts.describe(type.name(), mesh, name);
        }
    }

    /** A document that will not be sent, with everything wrong with it. */
    record Invalid(String label, List<Violation> violations) implements CheckedDocument {
        public Invalid {
            requireNonNull(label, "label");
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid document needs at least one violation");
            }
        }
    }
}
