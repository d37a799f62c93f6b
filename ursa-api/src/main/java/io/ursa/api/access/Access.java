package io.ursa.api.access;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The actions RBAC grants and audits (Kong Mesh's {@code AccessRole} and {@code AccessAudit} {@code access}
 * values) that Ursa has. Reads are not among them: they are open to every caller, except Secrets and
 * GlobalSecrets, which need a role that may write them.
 */
public enum Access {
    CREATE,
    UPDATE,
    DELETE,
    GENERATE_DATAPLANE_TOKEN,
    GENERATE_USER_TOKEN,
    /** Issuing zone tokens ({@code POST /tokens/zone}), which let a zone egress in. */
    GENERATE_ZONE_TOKEN;

    /** Kong Mesh's values for things Ursa has no counterpart of; refused with a message that says so. */
    private static final List<String> NOT_IN_URSA = List.of("GENERATE_ZONE_CP_TOKEN", "VIEW_CONFIG_DUMP", "VIEW_STATS", "VIEW_CLUSTERS");

    /** The value named exactly {@code text}. */
    public static Optional<Access> parse(String text) {
        return Arrays.stream(values()).filter(a -> a.name().equals(text)).findFirst();
    }

    /** Why {@code text} is not an access value: the message for a validation violation. */
    static String refusal(String text) {
        String expected = " (expected one of: " + String.join(", ", Arrays.stream(values()).map(Enum::name).toList())
                + ")";
        if (NOT_IN_URSA.contains(text)) {
            return "\"" + text + "\" is not supported by Ursa: it has no zone control planes, and reads of configuration, stats "
                    + "and clusters are open to every user" + expected;
        }
        return "unknown access \"" + text + "\"" + expected;
    }
}
