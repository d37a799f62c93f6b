package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ControlPlaneInstance;
import java.util.List;

/**
 * {@code GET /control-planes}: the control-plane instances that share this one's store, in the shape of a list
 * answer ({@code total}, {@code items}, {@code next}), each with its id, host, version, start, last heartbeat,
 * whether it leads and whether it is the instance that answered. Readable by anyone who may read the API, like
 * {@code GET /}. Thread-safe.
 */
final class ClusterEndpoints {
    private final Cluster cluster;
    private final ErrorMapper errors;

    ClusterEndpoints(Cluster cluster, ErrorMapper errors) {
        this.cluster = requireNonNull(cluster, "cluster");
        this.errors = requireNonNull(errors, "errors");
    }

    void addTo(Javalin app) {
        app.get("/control-planes", errors.guard(Titles.CONTROL_PLANES, this::list));
    }

    private void list(Context ctx) {
        List<ControlPlaneInstance> instances = cluster.instances();
        ObjectNode body = Json.json().createObjectNode();
        body.put("total", instances.size());
        ArrayNode items = body.putArray("items");
        for (ControlPlaneInstance instance : instances) {
            items.addObject()
                    .put("id", instance.id())
                    .put("hostname", instance.hostname())
                    .put("version", instance.version())
                    .put("startedAt", ResourceCodec.formatTime(instance.startedAt()))
                    .put("lastSeen", ResourceCodec.formatTime(instance.lastSeen()))
                    .put("leader", instance.leader())
                    .put("self", instance.id().equals(cluster.instanceId()));
        }
        body.putNull("next");
        Responses.json(ctx, 200, body);
    }
}
