package io.ursa.core.manager;

import io.ursa.api.codec.Json;
import io.ursa.api.resource.Spec;

/**
 * Whether two specs are the same resource content: equal records, or equal JSON encodings (Kuma's encoding,
 * compared as trees, so key order and how a value was spelled in the document do not matter). Both are specs
 * after defaults, as the manager stores them. Stateless.
 */
final class SameSpec {
    private SameSpec() {
    }

    static boolean of(Spec stored, Spec written) {
        return stored.equals(written)
                || (stored.getClass() == written.getClass()
                        && Json.json().valueToTree(stored).equals(Json.json().valueToTree(written)));
    }
}
