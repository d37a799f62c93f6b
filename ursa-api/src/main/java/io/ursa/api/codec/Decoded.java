package io.ursa.api.codec;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import java.util.List;

/** A decoded resource and the fields of its document that decoding dropped, in document order. */
public record Decoded<S extends Spec>(Resource<S> resource, List<UnknownField> unknownFields) {
    public Decoded {
        requireNonNull(resource, "resource");
        unknownFields = List.copyOf(unknownFields);
    }
}
