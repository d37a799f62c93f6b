package io.ursa.api.policy;

import io.ursa.api.policy.ProxyTemplateSpec.Change;
import io.ursa.api.policy.ProxyTemplateSpec.Conf;
import io.ursa.api.policy.ProxyTemplateSpec.FilterMatch;
import io.ursa.api.policy.ProxyTemplateSpec.Modification;
import io.ursa.api.policy.ProxyTemplateSpec.RawResource;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Shape validation of ProxyTemplate, as Kuma 2.0's {@code proxytemplate_validator.go}: selectors, imports of
 * known profiles, raw resources and modifications with a valid operation. Envoy YAML is checked for syntax only
 * (see {@link EnvoyYaml}).
 */
public final class ProxyTemplateValidator {
    private static final Set<Option> SELECTOR_RULES = Set.of(Option.REQUIRE_AT_LEAST_ONE_TAG, Option.REQUIRE_SERVICE);
    private static final List<String> RESOURCE_OPERATIONS = List.of("add", "patch", "remove");
    private static final List<String> FILTER_OPERATIONS =
            List.of("addFirst", "addLast", "addBefore", "addAfter", "patch", "remove");
    private static final String CANNOT_BE_EMPTY = "cannot be empty";
    private static final String CANNOT_BE_DEFINED = "cannot be defined";

    private ProxyTemplateValidator() {
    }

    public static void validate(ProxyTemplateSpec spec, Violations violations) {
        PolicySelectors.validateSelectors(spec.selectors(), SELECTOR_RULES, violations);
        if (spec.conf() != null) {
            validateConf(Path.of("conf"), spec.conf(), violations);
        }
    }

    private static void validateConf(Path path, Conf conf, Violations violations) {
        for (int i = 0; i < conf.imports().size(); i++) {
            String profile = conf.imports().get(i);
            if (profile.isEmpty()) {
                violations.add(path.field("imports").index(i), CANNOT_BE_EMPTY);
            } else if (!ProxyTemplateSpec.PROFILES.contains(profile)) {
                violations.add(path.field("imports").index(i),
                        "profile not found. Available profiles: " + String.join(",", ProxyTemplateSpec.PROFILES));
            }
        }
        for (int i = 0; i < conf.resources().size(); i++) {
            validateRawResource(path.field("resources").index(i), conf.resources().get(i), violations);
        }
        for (int i = 0; i < conf.modifications().size(); i++) {
            validateModification(path.field("modifications").index(i), conf.modifications().get(i), violations);
        }
    }

    private static void validateRawResource(Path path, RawResource resource, Violations violations) {
        if (resource.name().isEmpty()) {
            violations.add(path.field("name"), CANNOT_BE_EMPTY);
        }
        if (resource.version().isEmpty()) {
            violations.add(path.field("version"), CANNOT_BE_EMPTY);
        }
        if (resource.resource().isEmpty()) {
            violations.add(path.field("resource"), CANNOT_BE_EMPTY);
        } else {
            report(path.field("resource"), EnvoyYaml.checkTypedResource(resource.resource()), violations);
        }
    }

    private static void validateModification(Path path, Modification modification, Violations violations) {
        if (modification.cluster() != null) {
            validateResourceChange(path.field("cluster"), modification.cluster(), violations);
        } else if (modification.listener() != null) {
            validateResourceChange(path.field("listener"), modification.listener(), violations);
        } else if (modification.networkFilter() != null) {
            validateFilterChange(path.field("networkFilter"), modification.networkFilter(), violations);
        } else if (modification.httpFilter() != null) {
            validateFilterChange(path.field("httpFilter"), modification.httpFilter(), violations);
        } else if (modification.virtualHost() != null) {
            validateVirtualHostChange(path.field("virtualHost"), modification.virtualHost(), violations);
        }
    }

    /** Clusters and listeners: {@code add} takes no match. */
    private static void validateResourceChange(Path path, Change<?> change, Violations violations) {
        switch (change.operation()) {
            case "add" -> {
                if (change.match() != null) {
                    violations.add(path.field("match"), CANNOT_BE_DEFINED);
                }
                report(path.field("value"), EnvoyYaml.checkResource(change.value()), violations);
            }
            case "patch" -> report(path.field("value"), EnvoyYaml.checkPatch(change.value()), violations);
            case "remove" -> { }
            default -> invalidOperation(path, RESOURCE_OPERATIONS, violations);
        }
    }

    /** Virtual hosts: {@code add} may match a route configuration but not a name. */
    private static void validateVirtualHostChange(Path path, Change<ProxyTemplateSpec.VirtualHostMatch> change,
                                                  Violations violations) {
        switch (change.operation()) {
            case "add" -> {
                if (change.match() != null && !change.match().name().isEmpty()) {
                    violations.add(path.field("match").field("name"), CANNOT_BE_DEFINED);
                }
                report(path.field("value"), EnvoyYaml.checkResource(change.value()), violations);
            }
            case "patch" -> report(path.field("value"), EnvoyYaml.checkPatch(change.value()), violations);
            case "remove" -> { }
            default -> invalidOperation(path, RESOURCE_OPERATIONS, violations);
        }
    }

    /** Network and HTTP filters: positional adds need the filter they are relative to. */
    private static void validateFilterChange(Path path, Change<FilterMatch> change, Violations violations) {
        boolean noName = change.match() == null || change.match().name().isEmpty();
        Path name = path.field("match").field("name");
        switch (change.operation()) {
            case "addFirst", "addLast" -> report(path.field("value"), EnvoyYaml.checkResource(change.value()),
                    violations);
            case "addBefore", "addAfter" -> {
                if (noName) {
                    String where = change.operation().equals("addBefore") ? "before" : "after";
                    violations.add(name, "cannot be empty. You need to pick a filter " + where
                            + " which this one will be added");
                }
                report(path.field("value"), EnvoyYaml.checkResource(change.value()), violations);
            }
            case "patch" -> {
                if (noName) {
                    violations.add(name, CANNOT_BE_EMPTY);
                }
                report(path.field("value"), EnvoyYaml.checkPatch(change.value()), violations);
            }
            case "remove" -> { }
            default -> invalidOperation(path, FILTER_OPERATIONS, violations);
        }
    }

    private static void invalidOperation(Path path, List<String> operations, Violations violations) {
        violations.add(path.field("operation"), "invalid operation. Available operations: "
                + operations.stream().map(op -> "\"" + op + "\"").collect(Collectors.joining(", ")));
    }

    private static void report(Path path, Optional<String> problem, Violations violations) {
        problem.ifPresent(message -> violations.add(path, message));
    }
}
