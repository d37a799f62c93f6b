package io.ursa.core.store;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import java.util.List;

/** One page of a listing; {@code total} counts every match, not just this page. */
public record ResourcePage<S extends Spec>(List<Resource<S>> items, long total) {
    public ResourcePage {
        items = List.copyOf(items);
    }
}
