package io.ursa.api.spec;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kuma's tag-selector rules ({@code ValidateSelector}): keys are visited in sorted order, and per key the checks
 * run name-empty, name-charset, value-empty, value-charset. Used by mesh constraints and policy selectors.
 */
public final class SelectorValidation {
    /** Extra rules some callers switch on. */
    public enum Option {
        /** The map must have at least one tag. */
        REQUIRE_AT_LEAST_ONE_TAG,
        /** {@code kuma.io/service} must be present. */
        REQUIRE_SERVICE
    }

    private static final Pattern TAG_NAME = Pattern.compile("^[a-zA-Z0-9.\\-_:/]*$");
    private static final Pattern TAG_VALUE = Pattern.compile("^([a-zA-Z0-9.\\-_:/]*|\\*)$");

    private SelectorValidation() {
    }

    public static void validate(Path path, Map<String, String> tags, Set<Option> options, Violations violations) {
        if (options.contains(Option.REQUIRE_AT_LEAST_ONE_TAG) && tags.isEmpty()) {
            violations.add(path, "must have at least one tag");
        }
        for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.isEmpty()) {
                violations.add(path, "tag name must be non-empty");
            }
            if (!TAG_NAME.matcher(key).matches()) {
                violations.add(path.key(key),
                        "tag name must consist of alphanumeric characters, dots, dashes, slashes and underscores");
            }
            if (value.isEmpty()) {
                violations.add(path.key(key), "tag value must be non-empty");
            }
            if (!TAG_VALUE.matcher(value).matches()) {
                violations.add(path.key(key), "tag value must consist of alphanumeric characters, dots, dashes, "
                        + "slashes and underscores or be \"*\"");
            }
        }
        if (options.contains(Option.REQUIRE_SERVICE) && !tags.containsKey(Tags.SERVICE)) {
            violations.add(path.key(Tags.SERVICE), "tag has to exist");
        }
    }
}
