package io.ursa.api.policy;

import io.ursa.api.policy.TrafficRouteSpec.Conf;
import io.ursa.api.policy.TrafficRouteSpec.Headers;
import io.ursa.api.policy.TrafficRouteSpec.Http;
import io.ursa.api.policy.TrafficRouteSpec.Match;
import io.ursa.api.policy.TrafficRouteSpec.ModifyHost;
import io.ursa.api.policy.TrafficRouteSpec.ModifyPath;
import io.ursa.api.policy.TrafficRouteSpec.Split;
import io.ursa.api.policy.TrafficRouteSpec.StringMatcher;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shape validation of TrafficRoute, as Kuma 2.0's {@code traffic_route_validator.go}. */
public final class TrafficRouteValidator {
    private static final Set<Option> DESTINATION_RULES = Set.of(Option.REQUIRE_AT_LEAST_ONE_TAG, Option.REQUIRE_SERVICE);
    private static final Set<String> HASH_FUNCTIONS = Set.of("XX_HASH", "MURMUR_HASH_2");
    private static final String CANNOT_BE_EMPTY = "cannot be empty";

    private TrafficRouteValidator() {
    }

    public static void validate(TrafficRouteSpec spec, Violations violations) {
        PolicySelectors.validateServiceToService(spec.sources(), spec.destinations(), violations);
        Path path = Path.of("conf");
        Conf conf = spec.conf();
        if (conf == null) {
            violations.add(path, CANNOT_BE_EMPTY);
            return;
        }
        validateSplitAndDestination(path, conf.split(), conf.destination(), violations);
        for (int i = 0; i < conf.http().size(); i++) {
            validateHttp(path.field("http").index(i), conf.http().get(i), violations);
        }
        if (conf.loadBalancer() != null && conf.loadBalancer().ringHash() != null
                && !HASH_FUNCTIONS.contains(conf.loadBalancer().ringHash().hashFunction())) {
            violations.add(path.field("loadBalancer").field("ringHash").field("hashFunction"),
                    "must have a valid hash function");
        }
    }

    private static void validateHttp(Path path, Http http, Violations violations) {
        validateMatch(path.field("match"), http.match(), violations);
        if (http.modify() != null) {
            Path modify = path.field("modify");
            String matchedPrefix = http.match() == null || http.match().path() == null
                    || http.match().path().prefix() == null ? "" : http.match().path().prefix();
            validateModifyPath(modify.field("path"), http.modify().path(), matchedPrefix, violations);
            validateModifyHost(modify.field("host"), http.modify().host(), violations);
            validateHeaders(modify.field("requestHeaders"), http.modify().requestHeaders(), violations);
            validateHeaders(modify.field("responseHeaders"), http.modify().responseHeaders(), violations);
        }
        validateSplitAndDestination(path, http.split(), http.destination(), violations);
    }

    private static void validateMatch(Path path, Match match, Violations violations) {
        if (match == null || (match.method() == null && match.path() == null && match.headers() == null)) {
            violations.add(path, "must be present and contain at least one of the elements: "
                    + "\"method\", \"path\" or \"headers\"");
            return;
        }
        if (match.method() != null) {
            validateStringMatcher(path.field("method"), match.method(), violations);
        }
        if (match.path() != null) {
            validateStringMatcher(path.field("path"), match.path(), violations);
        }
        if (match.headers() != null) {
            if (match.headers().isEmpty()) {
                violations.add(path.field("headers"), "must contain at least one element");
            }
            for (Map.Entry<String, StringMatcher> header : match.headers().entrySet()) {
                Path at = path.field("headers").key(header.getKey());
                if (header.getKey().isEmpty()) {
                    violations.add(at, CANNOT_BE_EMPTY);
                }
                validateStringMatcher(at, header.getValue(), violations);
            }
        }
    }

    private static void validateStringMatcher(Path path, StringMatcher matcher, Violations violations) {
        if (matcher.prefix() != null) {
            if (matcher.prefix().isEmpty()) {
                violations.add(path.field("prefix"), CANNOT_BE_EMPTY);
            }
        } else if (matcher.regex() != null) {
            if (matcher.regex().isEmpty()) {
                violations.add(path.field("regex"), CANNOT_BE_EMPTY);
            }
        } else if (matcher.exact() == null) {
            // Kuma's message says "split" where it means "prefix"; kept as clients see it.
            violations.add(path, "cannot be empty. Available options: \"exact\", \"split\" or \"regex\"");
        }
    }

    private static void validateModifyPath(Path path, ModifyPath modify, String matchedPrefix,
                                           Violations violations) {
        if (modify == null) {
            return;
        }
        if (modify.rewritePrefix() != null) {
            if (modify.rewritePrefix().isEmpty()) {
                violations.add(path.field("rewritePrefix"), CANNOT_BE_EMPTY);
            } else if (matchedPrefix.isEmpty()) {
                violations.add(path.field("rewritePrefix"),
                        "can only be set when .http.match.path.prefix is not empty");
            }
        } else if (modify.regex() != null) {
            validateRegexReplace(path.field("regex"), modify.regex(), violations);
        } else {
            violations.add(path, "either \"rewritePrefix\" or \"regex\" has to be set");
        }
    }

    private static void validateModifyHost(Path path, ModifyHost modify, Violations violations) {
        if (modify == null) {
            return;
        }
        if (modify.value() != null) {
            if (modify.value().isEmpty()) {
                violations.add(path.field("value"), CANNOT_BE_EMPTY);
            }
        } else if (modify.fromPath() != null) {
            validateRegexReplace(path.field("fromPath"), modify.fromPath(), violations);
        } else {
            violations.add(path, "either \"value\" or \"fromPath\" has to be set");
        }
    }

    private static void validateRegexReplace(Path path, TrafficRouteSpec.RegexReplace regex, Violations violations) {
        if (regex.pattern().isEmpty()) {
            violations.add(path.field("pattern"), CANNOT_BE_EMPTY);
        }
        if (regex.substitution().isEmpty()) {
            violations.add(path.field("substitution"), CANNOT_BE_EMPTY);
        }
    }

    private static void validateHeaders(Path path, Headers headers, Violations violations) {
        if (headers == null) {
            return;
        }
        for (int i = 0; i < headers.add().size(); i++) {
            Path at = path.field("add").index(i);
            validateHeaderName(at.field("name"), headers.add().get(i).name(), violations);
            if (headers.add().get(i).value().isEmpty()) {
                violations.add(at.field("value"), CANNOT_BE_EMPTY);
            }
        }
        for (int i = 0; i < headers.remove().size(); i++) {
            validateHeaderName(path.field("remove").index(i).field("name"), headers.remove().get(i).name(),
                    violations);
        }
    }

    private static void validateHeaderName(Path path, String name, Violations violations) {
        if (name.isEmpty()) {
            violations.add(path, CANNOT_BE_EMPTY);
        } else if (name.startsWith(":") || name.equals("host") || name.equals("Host")) {
            violations.add(path, "host header and HTTP/2 pseudo-headers are not allowed to be modified");
        }
    }

    private static void validateSplitAndDestination(Path path, List<Split> split, Map<String, String> destination,
                                                    Violations violations) {
        if (split.isEmpty() && destination.isEmpty()) {
            violations.add(path, "requires either \"destination\" or \"split\"");
        }
        if (!split.isEmpty() && !destination.isEmpty()) {
            violations.add(path, "\"split\" cannot be defined at the same time as \"destination\"");
        }
        if (!split.isEmpty()) {
            validateSplit(path.field("split"), split, violations);
        }
        if (!destination.isEmpty()) {
            SelectorValidation.validate(path.field("destination"), destination, DESTINATION_RULES, violations);
        }
    }

    /** Split weights are uint32 in Kuma's protobuf. */
    static final long MAX_WEIGHT = 4294967295L;

    private static void validateSplit(Path path, List<Split> split, Violations violations) {
        long totalWeight = 0;
        for (int i = 0; i < split.size(); i++) {
            Split entry = split.get(i);
            if (entry.weight() == null) {
                violations.add(path.index(i).field("weight"), "needs to be defined");
            } else if (entry.weight() > MAX_WEIGHT) {
                violations.add(path.index(i).field("weight"), "invalid weight: " + entry.weight()
                        + " (expected: 0-" + MAX_WEIGHT + ")");
            } else {
                totalWeight += entry.weight();
            }
            SelectorValidation.validate(path.index(i).field("destination"), entry.destination(), DESTINATION_RULES,
                    violations);
        }
        if (totalWeight == 0) {
            violations.add(path, "there must be at least one split entry with weight above 0");
        }
    }
}
