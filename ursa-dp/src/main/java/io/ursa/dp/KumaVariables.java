package io.ursa.dp;

import io.ursa.api.validation.Suggestions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A migration aid: kuma-dp's variables ({@code KUMA_CONTROL_PLANE_URL}, {@code KUMA_DATAPLANE_MESH}, ...) are read
 * for their {@code URSA_*} equivalents when those are not set, so a Kuma user's systemd unit or env file does not
 * start a proxy against the defaults without a word. Each one used is named in a one-line notice. An {@code URSA_*}
 * variable the agent does not read (a typo, or one of ursa-cp's) is named in a one-line warning with the closest
 * one it reads, as ursa-cp warns about its own.
 */
final class KumaVariables {
    private KumaVariables() {
    }

    /** Read by {@code bin/launch.sh} (the start-up archive), not by the agent: never an unknown variable. */
    static final String LAUNCHER_VARIABLE = "URSA_CDS_ARCHIVE";

    /** The variables the agent reads: every flag's and those without a flag, sorted. */
    static List<String> known() {
        TreeSet<String> names = new TreeSet<>(RunCommand.ENVIRONMENT.values());
        names.addAll(RunCommand.WITHOUT_FLAG.keySet());
        return List.copyOf(names);
    }

    /**
     * {@link #withAliases} plus one warning line per unknown {@code URSA_*} variable, in name order:
     * {@code ursa-dp: ignoring unknown environment variable URSA_X (did you mean URSA_Y?)}.
     */
    static Map<String, String> resolve(Map<String, String> variables, List<String> notices) {
        List<String> known = known();
        new TreeSet<>(variables.keySet()).stream()
                .filter(name -> name.startsWith("URSA_") && !known.contains(name)
                        && !name.equals(LAUNCHER_VARIABLE))
                .forEach(name -> notices.add("ursa-dp: ignoring unknown environment variable " + name
                        + Suggestions.closest(name, known).map(k -> " (did you mean " + k + "?)").orElse("")));
        return withAliases(variables, notices);
    }

    /**
     * {@code variables} with each known {@code URSA_X} that is unset or empty taken from {@code KUMA_X} when that is
     * set; {@code notices} gets one line per Kuma variable used.
     */
    static Map<String, String> withAliases(Map<String, String> variables, List<String> notices) {
        Map<String, String> out = new HashMap<>(variables);
        for (String name : known()) {
            String kuma = "KUMA_" + name.substring("URSA_".length());
            String kumaValue = variables.get(kuma);
            String value = variables.get(name);
            if ((value == null || value.isEmpty()) && kumaValue != null && !kumaValue.isEmpty()) {
                out.put(name, kumaValue);
                notices.add("ursa-dp: using " + kuma + " for " + name
                        + " (a kuma-dp variable; set " + name + " to silence this notice)");
            }
        }
        return out;
    }
}
