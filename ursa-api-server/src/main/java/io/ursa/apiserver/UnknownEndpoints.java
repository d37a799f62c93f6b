package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Violation;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Requests that match no route get a JSON error instead of the web framework's text: 404 for an unknown path
 * (naming the unknown collection and the known ones), 405 for a method a path does not support.
 */
final class UnknownEndpoints {
    private static final List<String> OTHER_TOP_LEVEL =
            List.of("config", "control-plane", "dataplanes+insights", "global-insights", "mesh-insights", "policies",
                    "service-insights", "tokens");
    private static final List<String> OTHER_IN_MESH = List.of("dataplanes+insights", "service-insights");

    private final ErrorMapper errors;
    private final List<String> topLevel;
    private final List<String> inMesh;

    UnknownEndpoints(ResourceTypes types, ErrorMapper errors) {
        this.errors = requireNonNull(errors, "errors");
        this.topLevel = sorted(types.all().stream().map(ResourceType::wsPath), OTHER_TOP_LEVEL);
        this.inMesh = sorted(types.all().stream().filter(ResourceType::isMeshScoped).map(ResourceType::wsPath),
                OTHER_IN_MESH);
    }

    void respond(HttpResponseException e, Context ctx) {
        ApiException error = switch (e.getStatus()) {
            case 404 -> ApiException.of(404, Titles.UNKNOWN_ENDPOINT, "Not found",
                    new Violation("path", describeUnknownPath(ctx.path())));
            case 405 -> ApiException.of(405, Titles.UNKNOWN_ENDPOINT, "Method Not Allowed",
                    new Violation("method", "method " + ctx.method() + " is not supported on " + ctx.path()));
            default -> ApiException.of(e.getStatus() >= 400 && e.getStatus() < 600 ? e.getStatus() : 500,
                    Titles.REQUEST, e.getMessage() == null ? "Request failed" : e.getMessage());
        };
        errors.respond(ctx, Titles.REQUEST, error);
    }

    String describeUnknownPath(String path) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.size() >= 3 && segments.get(0).equals("meshes") && !inMesh.contains(segments.get(2))) {
            return unknown(segments.get(2), " in a mesh", inMesh);
        }
        if (!segments.isEmpty() && !segments.get(0).equals("meshes") && !topLevel.contains(segments.get(0))) {
            return unknown(segments.get(0), "", topLevel);
        }
        return "no endpoint at " + path;
    }

    private static String unknown(String collection, String where, List<String> known) {
        return "unknown collection \"" + collection + "\"" + where + " (expected one of: " + String.join(", ", known)
                + ")";
    }

    private static List<String> sorted(Stream<String> registered, List<String> others) {
        return Stream.concat(registered, others.stream()).distinct().sorted().toList();
    }
}
