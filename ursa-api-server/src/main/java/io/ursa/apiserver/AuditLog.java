package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.ursa.api.mesh.GoQuote;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.access.User;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one logfmt line per audited request on the logger {@value #LOGGER} (INFO; refusals at WARN),
 * <pre>
 * audit user="alice" groups="team-a,mesh-system:authenticated" access=CREATE type=TrafficRoute mesh="a"
 *   name="r1" outcome=allowed status=201 remote=10.0.0.2
 * </pre>
 * Handlers {@link #note} what a request does when they authorize it (whether an AccessAudit selects it is decided
 * then); the line is written once the request is answered, with the outcome its status gives: {@code allowed}
 * (2xx), {@code denied} (403), {@code unauthenticated} (401, always written, what the URL names) or
 * {@code failed} (any other error after authorization). A line never holds a token, a secret's data or a body.
 * Thread-safe; the noted action rides on the request.
 */
final class AuditLog {
    static final String LOGGER = "ursa.audit";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final String ACTION_ATTRIBUTE = "ursa.audit";

    private final ResourceTypes types;

    AuditLog(ResourceTypes types) {
        this.types = requireNonNull(types, "types");
    }

    /**
     * What a request does, as its line shows it.
     *
     * @param access   an Access name, or {@code READ}
     * @param type     a resource type name, or {@code DataplaneToken} / {@code UserToken}
     * @param mesh     the mesh the action is in (a Mesh's own name for a Mesh), empty for none
     * @param selected whether an AccessAudit rule selects the action
     */
    record Action(String access, String type, String mesh, String name, boolean selected) {
        Action {
            requireNonNull(access, "access");
            requireNonNull(type, "type");
            requireNonNull(mesh, "mesh");
            requireNonNull(name, "name");
        }
    }

    /** Remembers what the request does, for its line. */
    void note(Context ctx, Action action) {
        ctx.attribute(ACTION_ATTRIBUTE, requireNonNull(action, "action"));
    }

    /** A request refused before anything was authorized (a bad token): what its method and URL name. */
    void noteUnauthenticated(Context ctx) {
        note(ctx, actionOf(ctx.method().name(), ctx.path()));
    }

    /** Writes the line of an answered request, if it noted an action that is audited. */
    void write(Context ctx) {
        Action action = ctx.attribute(ACTION_ATTRIBUTE);
        if (action == null) {
            return;
        }
        int status = ctx.statusCode();
        String outcome = status == 401 ? "unauthenticated" : status == 403 ? "denied"
                : status >= 200 && status < 300 ? "allowed" : "failed";
        if (!action.selected() && status != 401) {
            return;
        }
        User user = status == 401 ? null : Authentication.userOf(ctx);
        String line = "audit user=" + quoted(user == null ? "" : user.name())
                + " groups=" + quoted(user == null ? "" : String.join(",", user.groups()))
                + " access=" + bare(action.access())
                + " type=" + bare(action.type())
                + " mesh=" + quoted(action.mesh())
                + " name=" + quoted(action.name())
                + " outcome=" + outcome
                + " status=" + status
                + " remote=" + bare(ctx.req().getRemoteAddr());
        if (status == 401 || status == 403) {
            log.warn(line);
        } else {
            log.info(line);
        }
    }

    /** The access, type, mesh and name a method and path are about, as far as the URL tells. */
    Action actionOf(String method, String path) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String access = switch (method) {
            case "PUT" -> "CREATE/UPDATE";
            case "DELETE" -> "DELETE";
            case "POST" -> segments.equals(List.of("tokens", "user")) ? "GENERATE_USER_TOKEN"
                    : segments.equals(List.of("tokens", "zone")) ? "GENERATE_ZONE_TOKEN"
                    : segments.size() >= 1 && segments.get(0).equals("tokens") ? "GENERATE_DATAPLANE_TOKEN" : "POST";
            default -> "READ";
        };
        if (segments.size() >= 3 && segments.get(0).equals("meshes")) {
            Optional<ResourceType<?>> type = typeAt(segments.get(2));
            return new Action(access, type.map(ResourceType::name).orElse("unknown"), segments.get(1),
                    segments.size() >= 4 ? segments.get(3) : "", true);
        }
        if (!segments.isEmpty() && segments.get(0).equals("meshes")) {
            String name = segments.size() >= 2 ? segments.get(1) : "";
            return new Action(access, ResourceTypes.MESH.name(), name, name, true);
        }
        if (!segments.isEmpty() && segments.get(0).equals("tokens")) {
            String kind = segments.equals(List.of("tokens", "user")) ? "UserToken"
                    : segments.equals(List.of("tokens", "zone")) ? "ZoneToken" : "DataplaneToken";
            return new Action(access, kind, "", "", true);
        }
        Optional<ResourceType<?>> type = segments.isEmpty() ? Optional.empty() : typeAt(segments.get(0));
        return new Action(access, type.map(ResourceType::name).orElse("unknown"), "",
                segments.size() >= 2 ? segments.get(1) : "", true);
    }

    private Optional<ResourceType<?>> typeAt(String wsPath) {
        return types.all().stream().filter(t -> t.wsPath().equals(wsPath)).findFirst().map(t -> (ResourceType<?>) t);
    }

    /** A logfmt value in quotes, escaped as Go's {@code %q} does (quotes, backslashes, control characters). */
    static String quoted(String value) {
        return GoQuote.quote(value);
    }

    /** A logfmt value without quotes: anything but letters, digits and {@code _./:-} is replaced by {@code _}. */
    static String bare(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        return value.replaceAll("[^A-Za-z0-9_./:\\-\\[\\]%]", "_");
    }
}
