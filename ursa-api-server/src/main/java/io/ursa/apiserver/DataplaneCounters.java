package io.ursa.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;

/** Dataplane counts of a MeshInsight ({@code total}, {@code online}, {@code offline}, {@code partiallyDegraded}). */
final class DataplaneCounters {
    private long total;
    private long online;
    private long offline;
    private long partiallyDegraded;

    void add(DataplaneStatus status) {
        total++;
        switch (status) {
            case ONLINE -> online++;
            case OFFLINE -> offline++;
            case PARTIALLY_DEGRADED -> partiallyDegraded++;
        }
    }

    /** Zero counters are left out, as protobuf's JSON does. */
    ObjectNode toJson() {
        ObjectNode out = Json.json().createObjectNode();
        putNonZero(out, "total", total);
        putNonZero(out, "online", online);
        putNonZero(out, "offline", offline);
        putNonZero(out, "partiallyDegraded", partiallyDegraded);
        return out;
    }

    static void putNonZero(ObjectNode out, String field, long value) {
        if (value != 0) {
            out.put(field, value);
        }
    }
}
