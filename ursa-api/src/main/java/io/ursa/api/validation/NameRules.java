package io.ursa.api.validation;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.util.regex.Pattern;

/**
 * Kuma 2.0's rules for resource names and mesh references (spec §3.1): non-empty, lowercase letters, digits,
 * {@code -} and {@code _}. Dots are excluded, which keeps proxy ids ({@code <mesh>.<name>}) unambiguous; Secrets and
 * GlobalSecrets alone may contain dots, because the builtin CA names its secrets {@code <mesh>.ca-builtin-cert-<backend>}.
 * Names are also capped at {@value #MAX_LENGTH} characters, the limit Kuma's SQL store has.
 */
public final class NameRules {
    public static final int MAX_LENGTH = 253;
    private static final Pattern VALID = Pattern.compile("^[0-9a-z-_]*$");
    private static final Pattern VALID_WITH_DOTS = Pattern.compile("^[0-9a-z-_.]*$");
    private static final String INVALID_CHARACTERS =
            "invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_' symbols.";
    private static final String INVALID_CHARACTERS_WITH_DOTS =
            "invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_', '.' symbols.";

    private NameRules() {
    }

    /** Validates the name, and for mesh-scoped types the mesh, adding violations on {@code name}/{@code mesh}. */
    public static void validate(ResourceType<?> type, String mesh, String name, Violations violations) {
        boolean dots = type == ResourceTypes.SECRET || type == ResourceTypes.GLOBAL_SECRET;
        check(Path.of("name"), name, dots, violations);
        if (type.isMeshScoped()) {
            check(Path.of("mesh"), mesh, false, violations);
        }
    }

    /** Validates a reference to a mesh or a global resource by name (Kuma's rules, no dots). */
    public static void validateReference(Path field, String value, Violations violations) {
        check(field, value, false, violations);
    }

    private static void check(Path field, String value, boolean dots, Violations violations) {
        if (value.isEmpty()) {
            violations.add(field, "cannot be empty");
            return;
        }
        if (!(dots ? VALID_WITH_DOTS : VALID).matcher(value).matches()) {
            violations.add(field, dots ? INVALID_CHARACTERS_WITH_DOTS : INVALID_CHARACTERS);
        }
        if (value.length() > MAX_LENGTH) {
            violations.add(field, "cannot be longer than " + MAX_LENGTH + " characters, got: " + value.length());
        }
    }
}
