package io.ursa.testing.store;

import io.ursa.api.resource.Spec;
import java.util.List;

/**
 * The spec of {@link Fixtures#NOTE}, a resource type that exists only in the contract suite. The real specs are
 * still gaining fields, so tests that must tell two specs apart (an update replaced the spec, the spec survived a
 * reopen) use this one, whose shape the suite owns. Zero values come back from JSON as null; the compact
 * constructor maps them back so a round trip through a store is {@code equals}.
 */
record NoteSpec(String text, List<String> tags) implements Spec {
    NoteSpec {
        text = text == null ? "" : text;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
