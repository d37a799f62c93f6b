package io.ursa.ctl;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Mustache placeholders ({@code {{ name }}}) of an {@code apply} document that no {@code -v} gives a value to.
 * Left in the text they are not YAML, and the parser's complaint would not say why: the apply names them instead.
 */
final class TemplatePlaceholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*}}");

    private TemplatePlaceholders() {
    }

    /** The names of {@code text}'s placeholders without a value in {@code variables}, in order of appearance. */
    static Set<String> withoutValue(String text, Map<String, String> variables) {
        Set<String> missing = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!variables.containsKey(matcher.group(1))) {
                missing.add(matcher.group(1));
            }
        }
        return missing;
    }

    /** What to tell the user about one placeholder without a value. */
    static String message(String name) {
        return "template variable \"" + name + "\" has no value (pass it with -v " + name + "=VALUE)";
    }
}
