package io.ursa.core.access;

import static java.util.Objects.requireNonNull;

import io.ursa.core.manager.DefaultAccess;
import java.util.ArrayList;
import java.util.List;

/**
 * Who makes a request: a user name and the groups it belongs to. AccessRoleBindings bind roles to either. The
 * well-known users are Kuma's: the admin ({@value #ADMIN_NAME} in group {@value DefaultAccess#ADMIN_GROUP}, which
 * loopback callers are while {@code apiServer.authn.localhostIsAdmin} is true and which the bootstrap admin token
 * names) and the anonymous caller ({@value #ANONYMOUS_NAME} in group {@value #UNAUTHENTICATED_GROUP}); the holder of
 * a valid user token is its claims' user plus the group {@value #AUTHENTICATED_GROUP}.
 *
 * @param name   the user name, never empty
 * @param groups the groups, in the order they were given, without repeats
 */
public record User(String name, List<String> groups) {
    public static final String ADMIN_NAME = "mesh-system:admin";
    public static final String ANONYMOUS_NAME = "mesh-system:anonymous";
    public static final String UNAUTHENTICATED_GROUP = "mesh-system:unauthenticated";
    public static final String AUTHENTICATED_GROUP = "mesh-system:authenticated";

    public static final User ADMIN = new User(ADMIN_NAME, List.of(DefaultAccess.ADMIN_GROUP));
    public static final User ANONYMOUS = new User(ANONYMOUS_NAME, List.of(UNAUTHENTICATED_GROUP));

    public User {
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid user name: \"\" (expected: a non-empty name)");
        }
        List<String> distinct = new ArrayList<>();
        for (String group : requireNonNull(groups, "groups")) {
            requireNonNull(group, "group");
            if (group.isEmpty()) {
                throw new IllegalArgumentException("invalid group of user " + name + ": \"\" (expected: a non-empty"
                        + " group name)");
            }
            if (!distinct.contains(group)) {
                distinct.add(group);
            }
        }
        groups = List.copyOf(distinct);
    }

    /** This user with {@code group} added last, unless it is already one of its groups. */
    public User withGroup(String group) {
        List<String> more = new ArrayList<>(groups);
        more.add(requireNonNull(group, "group"));
        return new User(name, more);
    }

    /** Kuma's way of naming a user in messages: {@code name/group1,group2}. */
    public String describe() {
        return name + "/" + String.join(",", groups);
    }
}
