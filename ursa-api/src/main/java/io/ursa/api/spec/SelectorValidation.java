package io.ursa.api.spec;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kuma's tag rules: {@code ValidateSelector} (selector values may be {@code *} and contain {@code /}),
 * {@code ValidateTags} (real tag values: no {@code /}, no {@code *}) and {@code ValidateSelectors} for the
 * {@code sources}/{@code destinations}/{@code selectors} lists of legacy policies.
 *
 * <p>The order of the checks is Kuma's, because clients see it: "at least one tag", then the whole-map rules
 * (the exactly-one-service rule, then the caller's {@link TagRule}s), then per key in sorted order: name empty,
 * name charset, name allowed, value empty, value charset; finally "mandatory tag is missing".
 */
public final class SelectorValidation {
    /** Extra rules some callers switch on. */
    public enum Option {
        /** The map must have at least one tag. */
        REQUIRE_AT_LEAST_ONE_TAG,
        /** {@code kuma.io/service} must be present. */
        REQUIRE_SERVICE,
        /** The map must be exactly {@code {kuma.io/service: ...}}; implies {@link #REQUIRE_SERVICE}. */
        ONLY_SERVICE_TAG,
        /** For lists of selectors only: the list must not be empty. */
        REQUIRE_AT_LEAST_ONE_SELECTOR
    }

    /** Kuma's {@code OnlyServiceTagAllowed}: what most legacy policies require of {@code destinations}. */
    public static final Set<Option> ONLY_SERVICE_TAG_ALLOWED = Set.of(
            Option.REQUIRE_AT_LEAST_ONE_SELECTOR, Option.REQUIRE_SERVICE, Option.ONLY_SERVICE_TAG);

    private static final Pattern TAG_NAME = Pattern.compile("^[a-zA-Z0-9.\\-_:/]*$");
    private static final Pattern SELECTOR_VALUE = Pattern.compile("^([a-zA-Z0-9.\\-_:/]*|\\*)$");
    private static final Pattern TAG_VALUE = Pattern.compile("^[a-zA-Z0-9.\\-_:]*$");
    private static final String SELECTOR_VALUE_MESSAGE =
            "tag value must consist of alphanumeric characters, dots, dashes, slashes and underscores or be \"*\"";
    private static final String TAG_VALUE_MESSAGE =
            "tag value must consist of alphanumeric characters, dots, dashes and underscores";

    private SelectorValidation() {
    }

    /** Whether {@code name} is a valid tag name ({@code ^[a-zA-Z0-9.\-_:/]*$}). */
    public static boolean isValidTagName(String name) {
        return TAG_NAME.matcher(name).matches();
    }

    /** A selector map ({@code match:}, a mesh constraint, a route destination). */
    public static void validate(Path path, Map<String, String> tags, Set<Option> options, Violations violations) {
        validate(path, tags, options, List.of(), violations);
    }

    /** A selector map with extra whole-map rules, run before the per-key checks. */
    public static void validate(Path path, Map<String, String> tags, Set<Option> options, List<TagRule> rules,
                                Violations violations) {
        check(path, tags, options, rules, SELECTOR_VALUE, SELECTOR_VALUE_MESSAGE, violations);
    }

    /** The tags of a proxy or service (Kuma's {@code ValidateTags}): values are literal, never {@code *}. */
    public static void validateTags(Path path, Map<String, String> tags, Set<Option> options, List<TagRule> rules,
                                    Violations violations) {
        check(path, tags, options, rules, TAG_VALUE, TAG_VALUE_MESSAGE, violations);
    }

    /** A list of selectors: each {@code [i].match} is checked as a selector. */
    public static void validateSelectors(Path path, List<Selector> selectors, Set<Option> options,
                                         Violations violations) {
        validateSelectors(path, selectors, options, List.of(), violations);
    }

    /** A list of selectors with extra whole-map rules for each {@code match}. */
    public static void validateSelectors(Path path, List<Selector> selectors, Set<Option> options,
                                         List<TagRule> rules, Violations violations) {
        if (options.contains(Option.REQUIRE_AT_LEAST_ONE_SELECTOR) && selectors.isEmpty()) {
            violations.add(path, "must have at least one element");
        }
        for (int i = 0; i < selectors.size(); i++) {
            validate(path.index(i).field("match"), selectors.get(i).match(), options, rules, violations);
        }
    }

    private static void check(Path path, Map<String, String> tags, Set<Option> options, List<TagRule> rules,
                              Pattern valuePattern, String valueMessage, Violations violations) {
        boolean onlyService = options.contains(Option.ONLY_SERVICE_TAG);
        if (options.contains(Option.REQUIRE_AT_LEAST_ONE_TAG) && tags.isEmpty()) {
            violations.add(path, "must have at least one tag");
        }
        if (onlyService && (tags.size() != 1 || !tags.containsKey(Tags.SERVICE))) {
            violations.add(path, "must consist of exactly one tag \"" + Tags.SERVICE + "\"");
        }
        for (TagRule rule : rules) {
            rule.check(path, tags, violations);
        }
        for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.isEmpty()) {
                violations.add(path, "tag name must be non-empty");
            }
            if (!isValidTagName(key)) {
                violations.add(path.key(key),
                        "tag name must consist of alphanumeric characters, dots, dashes, slashes and underscores");
            }
            if (onlyService && !key.equals(Tags.SERVICE)) {
                violations.add(path.key(key), "tag \"" + key + "\" is not allowed");
            }
            if (value.isEmpty()) {
                violations.add(path.key(key), "tag value must be non-empty");
            }
            if (!valuePattern.matcher(value).matches()) {
                violations.add(path.key(key), valueMessage);
            }
        }
        boolean requireService = onlyService || options.contains(Option.REQUIRE_SERVICE);
        if (requireService && !tags.containsKey(Tags.SERVICE)) {
            violations.add(path, "mandatory tag \"" + Tags.SERVICE + "\" is missing");
        }
    }
}
