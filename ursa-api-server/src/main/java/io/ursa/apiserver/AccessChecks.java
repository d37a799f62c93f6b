package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.ursa.api.access.Access;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Trait;
import io.ursa.core.access.Authorizer;
import io.ursa.core.access.User;

/**
 * The API's authorization: asks the {@link Authorizer} whether the request's caller may do what the request asks,
 * notes the action for the {@link AuditLog}, and refuses with 403 {@code Access Denied}, details in Kong Mesh's
 * form {@code user "<name>/<groups>" cannot <access> <type> "<name>" in mesh "<mesh>"} (no mesh part for a
 * resource of no mesh). A write to a secret the caller may not even read says {@code CREATE or UPDATE}, so a
 * refusal does not tell whether the secret exists. Stateless and thread-safe.
 */
final class AccessChecks {
    static final String DATAPLANE_TOKEN = "DataplaneToken";
    static final String USER_TOKEN = "UserToken";
    static final String ZONE_TOKEN = "ZoneToken";

    private final Authorizer authorizer;
    private final AuditLog audit;

    AccessChecks(Authorizer authorizer, AuditLog audit) {
        this.authorizer = requireNonNull(authorizer, "authorizer");
        this.audit = requireNonNull(audit, "audit");
    }

    /** Refuses unless the caller may do {@code access} (CREATE, UPDATE, DELETE) on the resource. */
    void requireWrite(Context ctx, Access access, ResourceType<?> type, String mesh, String name) {
        User user = Authentication.userOf(ctx);
        String ruleMesh = ruleMesh(type, mesh, name);
        audit.note(ctx, new AuditLog.Action(access.name(), type.name(), ruleMesh, name,
                authorizer.audits(access.name(), type, mesh, name)));
        if (authorizer.allows(user, access, type, mesh, name)) {
            return;
        }
        boolean hidden = type.has(Trait.ADMIN_ONLY) && access != Access.DELETE
                && !authorizer.mayRead(user, type, mesh, name);
        throw denied(user, hidden ? "CREATE or UPDATE" : access.name(), type.name() + " \"" + name + "\"",
                meshPart(type, ruleMesh));
    }

    /**
     * Refuses unless the caller may read the resource ({@code name} empty: the list of {@code mesh}, or of every
     * mesh when {@code mesh} is empty). Reads of open types are neither checked nor audited.
     */
    void requireRead(Context ctx, ResourceType<?> type, String mesh, String name) {
        if (!type.has(Trait.ADMIN_ONLY)) {
            return;
        }
        User user = Authentication.userOf(ctx);
        String ruleMesh = ruleMesh(type, mesh, name);
        audit.note(ctx, new AuditLog.Action(Authorizer.READ, type.name(), ruleMesh, name,
                authorizer.audits(Authorizer.READ, type, mesh, name)));
        if (authorizer.mayRead(user, type, mesh, name)) {
            return;
        }
        String what = name.isEmpty() ? "every " + type.name() : type.name() + " \"" + name + "\"";
        String where = !type.isMeshScoped() ? "" : mesh.isEmpty() ? " in every mesh" : meshPart(type, ruleMesh);
        throw denied(user, Authorizer.READ, what, where);
    }

    /** Refuses unless the caller may issue dataplane tokens of {@code mesh}. */
    void requireDataplaneToken(Context ctx, String mesh, String name) {
        User user = Authentication.userOf(ctx);
        audit.note(ctx, new AuditLog.Action(Access.GENERATE_DATAPLANE_TOKEN.name(), DATAPLANE_TOKEN, mesh, name,
                authorizer.auditsTokenIssue(Access.GENERATE_DATAPLANE_TOKEN, mesh)));
        if (!authorizer.allowsDataplaneToken(user, mesh)) {
            throw denied(user, Access.GENERATE_DATAPLANE_TOKEN.name(), DATAPLANE_TOKEN + " \"" + name + "\"",
                    " in mesh \"" + mesh + "\"");
        }
    }

    /** Refuses unless the caller may issue user tokens; {@code name} is the token's user. */
    void requireUserToken(Context ctx, String name) {
        User user = Authentication.userOf(ctx);
        audit.note(ctx, new AuditLog.Action(Access.GENERATE_USER_TOKEN.name(), USER_TOKEN, "", name,
                authorizer.auditsTokenIssue(Access.GENERATE_USER_TOKEN, "")));
        if (!authorizer.allowsUserToken(user)) {
            throw denied(user, Access.GENERATE_USER_TOKEN.name(), USER_TOKEN + " \"" + name + "\"", "");
        }
    }

    /**
     * Refuses unless the caller may issue zone tokens; {@code zone} is the token's zone (empty: a token of no
     * zone), as Kuma's {@code ValidateGenerateZoneToken} is given it.
     */
    void requireZoneToken(Context ctx, String zone) {
        User user = Authentication.userOf(ctx);
        audit.note(ctx, new AuditLog.Action(Access.GENERATE_ZONE_TOKEN.name(), ZONE_TOKEN, "", zone,
                authorizer.auditsTokenIssue(Access.GENERATE_ZONE_TOKEN, "")));
        if (!authorizer.allowsZoneToken(user)) {
            throw denied(user, Access.GENERATE_ZONE_TOKEN.name(), ZONE_TOKEN + " \"" + zone + "\"", "");
        }
    }

    private static String ruleMesh(ResourceType<?> type, String mesh, String name) {
        return type == ResourceTypes.MESH ? name : type.isMeshScoped() ? mesh : "";
    }

    private static String meshPart(ResourceType<?> type, String ruleMesh) {
        return type.isMeshScoped() || type == ResourceTypes.MESH ? " in mesh \"" + ruleMesh + "\"" : "";
    }

    private static ApiException denied(User user, String access, String what, String where) {
        return ApiException.accessDenied("user \"" + user.describe() + "\" cannot " + access + " " + what + where);
    }
}
