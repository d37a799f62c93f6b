package io.ursa.xds.generator.template;

import io.ursa.api.policy.ProxyTemplateSpec.Modification;
import java.util.List;

/**
 * Applies a ProxyTemplate's {@code conf.modifications} in their order, each to the resources the previous ones
 * left (Kuma 2.0's {@code modifications/v3/modifications.go}). Stateless.
 */
final class Modifiers {
    private Modifiers() {
    }

    /**
     * Applies every modification to {@code resources}.
     *
     * @throws IllegalArgumentException naming the first modification that cannot be applied, and why
     */
    static void apply(List<Modification> modifications, TemplateResources resources) {
        for (int i = 0; i < modifications.size(); i++) {
            Modification modification = modifications.get(i);
            try {
                of(modification).apply(resources);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("modifications[" + i + "]" + describe(modification) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static Modifier of(Modification modification) {
        if (modification.cluster() != null) {
            return ResourceModifier.cluster(modification.cluster());
        }
        if (modification.listener() != null) {
            return ResourceModifier.listener(modification.listener());
        }
        if (modification.networkFilter() != null) {
            return FilterModifier.network(modification.networkFilter());
        }
        if (modification.httpFilter() != null) {
            return FilterModifier.http(modification.httpFilter());
        }
        if (modification.virtualHost() != null) {
            return new VirtualHostModifier(modification.virtualHost());
        }
        throw new IllegalArgumentException("no modification (expected one of: cluster, listener, networkFilter, "
                + "httpFilter, virtualHost)");
    }

    private static String describe(Modification modification) {
        if (modification.cluster() != null) {
            return " (cluster " + modification.cluster().operation() + ")";
        }
        if (modification.listener() != null) {
            return " (listener " + modification.listener().operation() + ")";
        }
        if (modification.networkFilter() != null) {
            return " (networkFilter " + modification.networkFilter().operation() + ")";
        }
        if (modification.httpFilter() != null) {
            return " (httpFilter " + modification.httpFilter().operation() + ")";
        }
        if (modification.virtualHost() != null) {
            return " (virtualHost " + modification.virtualHost().operation() + ")";
        }
        return "";
    }

    static IllegalArgumentException invalidOperation(String operation, String expected) {
        return new IllegalArgumentException("invalid operation: \"" + operation + "\" (expected one of: " + expected
                + ")");
    }
}
