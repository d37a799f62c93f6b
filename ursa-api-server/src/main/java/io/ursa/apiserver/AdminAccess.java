package io.ursa.apiserver;

import io.javalin.http.Context;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Trait;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Kuma's static access rules (spec §8.1): every operation on an admin-only type (Secret) and issuing a dataplane
 * token ({@code generateDpToken}) need the admin user. With {@code localhostIsAdmin}, a request from a loopback
 * address is {@code mesh-system:admin}; everybody else is the anonymous user and gets 403 {@code Access Denied}.
 * Stateless and thread-safe.
 */
final class AdminAccess {
    static final String ADMIN = "mesh-system:admin/mesh-system:admin";
    static final String ANONYMOUS = "mesh-system:anonymous/mesh-system:unauthenticated";

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+(%[0-9A-Za-z_.-]+)?");

    private final boolean localhostIsAdmin;

    AdminAccess(ApiServerConfig config) {
        this.localhostIsAdmin = config.localhostIsAdmin();
    }

    /** Throws a 403 unless the caller may operate on resources of {@code type}. */
    void check(Context ctx, ResourceType<?> type) {
        if (!type.has(Trait.ADMIN_ONLY)) {
            return;
        }
        String user = userOf(ctx);
        if (!user.equals(ADMIN)) {
            throw ApiException.accessDenied("user \"" + user + "\" cannot access the resource of type \""
                    + type.name() + "\"");
        }
    }

    /** Throws a 403 unless the caller may issue dataplane tokens (Kuma's default: the admin only). */
    void checkGenerateDataplaneToken(Context ctx) {
        if (!userOf(ctx).equals(ADMIN)) {
            throw ApiException.accessDenied("action not allowed");
        }
    }

    private String userOf(Context ctx) {
        return localhostIsAdmin && isLoopback(ctx.req().getRemoteAddr()) ? ADMIN : ANONYMOUS;
    }

    private static boolean isLoopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        if (!IP_LITERAL.matcher(literal).matches()) {
            return false;
        }
        try {
            // an IP literal: parsed, never looked up
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
