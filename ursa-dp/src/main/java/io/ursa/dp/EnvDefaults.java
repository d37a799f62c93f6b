package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes an option's default from its environment variable ({@code --mesh} from {@code URSA_DATAPLANE_MESH}), so a
 * flag on the command line wins over the variable, which wins over the built-in default.
 */
final class EnvDefaults implements IDefaultValueProvider {
    private final Map<String, String> variableByOption;
    private final Function<String, Optional<String>> lookup;

    EnvDefaults(Map<String, String> variableByOption, Function<String, Optional<String>> lookup) {
        this.variableByOption = Map.copyOf(requireNonNull(variableByOption, "variableByOption"));
        this.lookup = requireNonNull(lookup, "lookup");
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String variable = variableByOption.get(option.longestName());
        return variable == null ? null : lookup.apply(variable).orElse(null);
    }
}
