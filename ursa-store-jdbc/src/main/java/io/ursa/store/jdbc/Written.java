package io.ursa.store.jdbc;

import io.ursa.core.event.ResourceChange;
import java.util.List;

/** What a write transaction produced: the value to return, and the changes to announce once it has committed. */
record Written<T>(T value, List<ResourceChange> changes) {
    Written {
        changes = List.copyOf(changes);
    }
}
