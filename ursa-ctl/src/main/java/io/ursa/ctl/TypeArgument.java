package io.ursa.ctl;

import io.ursa.api.validation.Suggestions;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.util.List;
import java.util.TreeSet;

/** Resolves the TYPE argument of {@code get} and {@code delete} through the registry's CLI names. */
final class TypeArgument {
    private TypeArgument() {
    }

    /** For {@code get}: singular or plural names ({@code mesh}, {@code meshes}). */
    static ResourceType<?> forGet(ResourceTypes types, String argument) {
        return types.byCliName(argument).orElseThrow(() -> unknown(argument, allNames(types)));
    }

    /**
     * For {@code delete}: kumactl lists (and takes) the singular names; the plural is accepted as well since it
     * cannot mean anything else.
     */
    static ResourceType<?> forDelete(ResourceTypes types, String argument) {
        return types.byCliName(argument).orElseThrow(() -> unknown(argument,
                types.all().stream().map(ResourceType::cliSingular).sorted().toList()));
    }

    static boolean isPlural(ResourceType<?> type, String argument) {
        return argument.equals(type.cliPlural());
    }

    private static List<String> allNames(ResourceTypes types) {
        TreeSet<String> names = new TreeSet<>();
        for (ResourceType<?> type : types.all()) {
            names.add(type.cliSingular());
            names.add(type.cliPlural());
        }
        return List.copyOf(names);
    }

    private static CtlException unknown(String argument, List<String> allowed) {
        String suggestion = Suggestions.closest(argument, allowed).map(s -> " (did you mean \"" + s + "\"?)")
                .orElse("");
        return new UsageException("unknown TYPE: " + argument + suggestion + ". Allowed values: "
                + String.join(", ", allowed));
    }
}
