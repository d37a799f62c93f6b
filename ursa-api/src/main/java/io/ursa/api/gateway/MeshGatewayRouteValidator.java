package io.ursa.api.gateway;

import io.ursa.api.gateway.MeshGatewayRouteSpec.Backend;
import io.ursa.api.gateway.MeshGatewayRouteSpec.Filter;
import io.ursa.api.gateway.MeshGatewayRouteSpec.Header;
import io.ursa.api.gateway.MeshGatewayRouteSpec.HeaderModifier;
import io.ursa.api.gateway.MeshGatewayRouteSpec.HttpRoute;
import io.ursa.api.gateway.MeshGatewayRouteSpec.HttpRule;
import io.ursa.api.gateway.MeshGatewayRouteSpec.Match;
import io.ursa.api.gateway.MeshGatewayRouteSpec.PathMatchType;
import io.ursa.api.policy.HttpMethod;
import io.ursa.api.spec.FieldRules;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Set;

/**
 * Kuma 2.0's MeshGatewayRoute validation ({@code gateway_route_validator.go}), with its paths and messages (some
 * paths use the proto's snake_case names, as Kuma's do). The vectors are
 * {@code testdata/policy/validation/mesh-gateway-route.yaml}. Ursa's additions, each with its own cases there:
 * <ul>
 *   <li>a TCP route needs rules ({@code conf.tcp.rules: cannot be empty}), each with backends
 *       ({@code conf.tcp.rules[i].backends: cannot be empty}) that name a {@code kuma.io/service} (Kuma checks
 *       nothing under {@code tcp});</li>
 *   <li>a {@code REGEX} path, header or query parameter value must compile
 *       ({@code invalid regular expression: ...}), where Kuma leaves it to Envoy to refuse;</li>
 *   <li>the {@code responseHeader} filter (Ursa's) is checked as {@code request_header} is, under
 *       {@code response_header}.</li>
 * </ul>
 */
public final class MeshGatewayRouteValidator {
    private static final String CANNOT_BE_EMPTY = "cannot be empty";
    private static final Set<Option> BACKEND = Set.of(Option.REQUIRE_AT_LEAST_ONE_TAG, Option.REQUIRE_SERVICE);

    private MeshGatewayRouteValidator() {
    }

    public static void validate(MeshGatewayRouteSpec spec, Violations violations) {
        SelectorValidation.validateSelectors(Path.root().field("selectors"), spec.selectors(),
                Set.of(Option.REQUIRE_AT_LEAST_ONE_SELECTOR, Option.REQUIRE_AT_LEAST_ONE_TAG, Option.REQUIRE_SERVICE),
                violations);
        Path conf = Path.root().field("conf");
        if (spec.conf() == null || (spec.conf().tcp() == null && spec.conf().http() == null)) {
            violations.add(conf, CANNOT_BE_EMPTY);
            return;
        }
        if (spec.conf().tcp() != null) {
            validateTcp(conf.field("tcp"), spec.conf().tcp(), violations);
        }
        if (spec.conf().http() != null) {
            validateHttp(conf.field("http"), spec.conf().http(), violations);
        }
    }

    private static void validateTcp(Path path, MeshGatewayRouteSpec.TcpRoute tcp, Violations violations) {
        if (tcp.rules().isEmpty()) {
            violations.add(path.field("rules"), CANNOT_BE_EMPTY);
        }
        for (int i = 0; i < tcp.rules().size(); i++) {
            Path rule = path.field("rules").index(i);
            List<Backend> backends = tcp.rules().get(i).backends();
            if (backends.isEmpty()) {
                violations.add(rule.field("backends"), CANNOT_BE_EMPTY);
            }
            for (int b = 0; b < backends.size(); b++) {
                validateBackend(rule.field("backends").index(b), backends.get(b), violations);
            }
        }
    }

    /** Kuma 2.0 does not check route {@code hostnames} (only listener hostnames); neither does Ursa. */
    private static void validateHttp(Path path, HttpRoute http, Violations violations) {
        if (http.rules().isEmpty()) {
            violations.add(path.field("rules"), CANNOT_BE_EMPTY);
            return;
        }
        for (int i = 0; i < http.rules().size(); i++) {
            validateRule(path.field("rules").index(i), http.rules().get(i), violations);
        }
    }

    private static void validateRule(Path path, HttpRule rule, Violations violations) {
        if (rule.matches().isEmpty()) {
            violations.add(path.field("matches"), CANNOT_BE_EMPTY);
            return;
        }
        boolean hasPrefixMatch = false;
        for (int i = 0; i < rule.matches().size(); i++) {
            Match match = rule.matches().get(i);
            validateMatch(path.field("matches").index(i), match, violations);
            if (match.path() != null && match.path().match() == PathMatchType.PREFIX) {
                hasPrefixMatch = true;
            }
        }
        boolean hasRedirect = false;
        for (int i = 0; i < rule.filters().size(); i++) {
            Filter filter = rule.filters().get(i);
            hasRedirect |= filter.redirect() != null;
            validateFilter(path.field("filters").index(i), filter, hasPrefixMatch, violations);
        }
        if (hasRedirect && rule.filters().size() != 1) {
            violations.add(path.field("filters"), "redirects cannot be used with other filters");
            return;
        }
        if (rule.backends().isEmpty() && !hasRedirect) {
            violations.add(path.field("backends"), CANNOT_BE_EMPTY);
        } else if (!rule.backends().isEmpty() && hasRedirect) {
            violations.add(path.field("backends"), "must be empty when using redirect filters");
        }
        for (int i = 0; i < rule.backends().size(); i++) {
            validateBackend(path.field("backends").index(i), rule.backends().get(i), violations);
        }
    }

    private static void validateMatch(Path path, Match match, Violations violations) {
        if (match.path() == null && match.method() == HttpMethod.NONE && match.headers().isEmpty()
                && match.queryParameters().isEmpty()) {
            violations.add(path, CANNOT_BE_EMPTY);
        }
        if (match.path() != null) {
            String value = match.path().value();
            switch (match.path().match()) {
                case REGEX -> {
                    if (value.isEmpty()) {
                        violations.add(path.field("value"), CANNOT_BE_EMPTY);
                    } else {
                        checkRegex(path.field("value"), value, violations);
                    }
                }
                case PREFIX -> {
                    if (!value.equals("/")) {
                        if (value.endsWith("/")) {
                            violations.add(path.field("value"), "does not need a trailing slash because only a "
                                    + "`/`-separated prefix or an entire path is matched");
                        }
                        if (!value.startsWith("/")) {
                            violations.add(path.field("value"), "must be an absolute path");
                        }
                    }
                }
                case EXACT -> {
                    if (!value.startsWith("/")) {
                        violations.add(path.field("value"), "must be an absolute path");
                    }
                }
            }
        }
        for (int i = 0; i < match.headers().size(); i++) {
            MeshGatewayRouteSpec.HeaderMatch h = match.headers().get(i);
            Path header = path.field("headers").index(i);
            nameAndValue(header, h.name(), h.value(), violations);
            if (h.match() == MeshGatewayRouteSpec.ValueMatchType.REGEX && !h.value().isEmpty()) {
                checkRegex(header.field("value"), h.value(), violations);
            }
        }
        for (int i = 0; i < match.queryParameters().size(); i++) {
            MeshGatewayRouteSpec.QueryMatch q = match.queryParameters().get(i);
            Path query = path.field("query_parameters").index(i);
            nameAndValue(query, q.name(), q.value(), violations);
            if (q.match() == MeshGatewayRouteSpec.ValueMatchType.REGEX && !q.value().isEmpty()) {
                checkRegex(query.field("value"), q.value(), violations);
            }
        }
    }

    private static void validateFilter(Path path, Filter filter, boolean hasPrefixMatch, Violations violations) {
        if (filter.requestHeader() != null) {
            validateHeaderModifier(path.field("request_header"), filter.requestHeader(), violations);
        }
        if (filter.responseHeader() != null) {
            validateHeaderModifier(path.field("response_header"), filter.responseHeader(), violations);
        }
        MeshGatewayRouteSpec.Redirect redirect = filter.redirect();
        if (redirect != null) {
            Path r = path.field("redirect");
            if (redirect.scheme().isEmpty()) {
                violations.add(r.field("scheme"), CANNOT_BE_EMPTY);
            }
            if (redirect.hostname().isEmpty()) {
                violations.add(r.field("hostname"), CANNOT_BE_EMPTY);
            }
            if (redirect.port() > 0) {
                FieldRules.port(r.field("port"), redirect.port(), violations);
            }
            if (redirect.statusCode() < 300 || redirect.statusCode() > 308) {
                violations.add(r.field("status_code"), "must be in the range [300, 308]");
            }
        }
        MeshGatewayRouteSpec.Mirror mirror = filter.mirror();
        if (mirror != null) {
            Path m = path.field("mirror");
            if (mirror.percentage() == null) {
                violations.add(m.field("percentage"), CANNOT_BE_EMPTY);
            } else if (mirror.percentage() < 0 || mirror.percentage() > 100) {
                violations.add(m.field("percentage"), "has to be in [0.0 - 100.0] range");
            }
            validateBackend(m.field("backend"), mirror.backend(), violations);
        }
        if (filter.rewrite() != null && filter.rewrite().replacePrefixMatch() != null && !hasPrefixMatch) {
            violations.add(path.field("rewrite").field("replacePrefixMatch"),
                    "cannot be used without a match on path prefix");
        }
    }

    private static void validateHeaderModifier(Path path, HeaderModifier modifier, Violations violations) {
        if (modifier.set().isEmpty() && modifier.add().isEmpty() && modifier.remove().isEmpty()) {
            violations.add(path, CANNOT_BE_EMPTY);
        }
        headers(path.field("set"), modifier.set(), violations);
        headers(path.field("add"), modifier.add(), violations);
        for (int i = 0; i < modifier.remove().size(); i++) {
            if (modifier.remove().get(i).isEmpty()) {
                violations.add(path.field("remove").index(i), CANNOT_BE_EMPTY);
            }
        }
    }

    private static void headers(Path path, List<Header> headers, Violations violations) {
        for (int i = 0; i < headers.size(); i++) {
            nameAndValue(path.index(i), headers.get(i).name(), headers.get(i).value(), violations);
        }
    }

    private static void nameAndValue(Path path, String name, String value, Violations violations) {
        if (name.isEmpty()) {
            violations.add(path.field("name"), CANNOT_BE_EMPTY);
        }
        if (value.isEmpty()) {
            violations.add(path.field("value"), CANNOT_BE_EMPTY);
        }
    }

    private static void validateBackend(Path path, Backend backend, Violations violations) {
        if (backend == null) {
            violations.add(path, CANNOT_BE_EMPTY);
            return;
        }
        SelectorValidation.validate(path, backend.destination(), BACKEND, violations);
    }

    /** Envoy compiles these with RE2; a pattern Java cannot compile would be refused by Envoy too. */
    private static void checkRegex(Path path, String regex, Violations violations) {
        try {
            java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            violations.add(path, "invalid regular expression: " + e.getDescription());
        }
    }
}
