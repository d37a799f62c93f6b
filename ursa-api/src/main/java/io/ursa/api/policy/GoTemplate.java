package io.ursa.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The part of Go's {@code text/template} that VirtualOutbound templates use: text, {@code {{.name}}} (a
 * parameter, {@code <no value>} when missing), {@code {{.}}}, comments and the {@code {{- -}}} trim markers.
 * Errors read like Go's ({@code template: :1: function "mesh" not defined}); other actions, which Go would
 * accept, are rejected as unsupported. Immutable.
 */
final class GoTemplate {
    private static final Pattern FIELD = Pattern.compile("\\.[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*");
    /** Go's builtin functions and keywords: valid Go, but not supported here. */
    private static final Set<String> GO_NAMES = Set.of("and", "call", "html", "index", "slice", "js", "len", "not",
            "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne", "if", "else", "end",
            "range", "with", "define", "template", "block", "break", "continue", "nil", "true", "false");

    /** A piece of the template: literal text, or a parameter ({@code name} empty for {@code {{.}}}). */
    private record Node(String text, String field) {
    }

    private final List<Node> nodes;

    private GoTemplate(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** @throws IllegalArgumentException with Go's error text when the template does not parse */
    static GoTemplate parse(String template) {
        List<Node> nodes = new ArrayList<>();
        int pos = 0;
        while (pos < template.length()) {
            int open = template.indexOf("{{", pos);
            if (open < 0) {
                nodes.add(new Node(template.substring(pos), null));
                break;
            }
            boolean trimLeft = hasTrimMarker(template, open + 2);
            String text = template.substring(pos, open);
            nodes.add(new Node(trimLeft ? text.stripTrailing() : text, null));
            int start = open + 2 + (trimLeft ? 2 : 0);
            int close = template.indexOf("}}", start);
            if (close < 0) {
                throw error(template, start, undefinedFunction(template.substring(start).strip())
                        .orElse("unclosed action"));
            }
            boolean trimRight = close - start >= 2 && template.charAt(close - 1) == '-'
                    && Character.isWhitespace(template.charAt(close - 2));
            String action = template.substring(start, trimRight ? close - 2 : close).strip();
            if (!(action.startsWith("/*") && action.endsWith("*/"))) {
                nodes.add(new Node(null, parseAction(template, start, action)));
            }
            pos = close + 2;
            if (trimRight) {
                while (pos < template.length() && Character.isWhitespace(template.charAt(pos))) {
                    pos++;
                }
            }
        }
        return new GoTemplate(nodes);
    }

    /** Renders with {@code data}; a parameter missing from it renders as {@code <no value>}, as in Go. */
    String execute(Map<String, String> data) {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            if (node.text() != null) {
                out.append(node.text());
            } else if (node.field().isEmpty()) {
                out.append(new TreeMap<>(data).entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" ", "map[", "]")));
            } else {
                out.append(data.getOrDefault(node.field(), "<no value>"));
            }
        }
        return out.toString();
    }

    /** The parameter an action names: {@code ""} for {@code .}, the name for {@code .name}. */
    private static String parseAction(String template, int at, String action) {
        if (action.isEmpty()) {
            throw error(template, at, "missing value for command");
        }
        if (action.equals(".")) {
            return "";
        }
        if (FIELD.matcher(action).matches()) {
            return action.substring(1);
        }
        throw error(template, at, undefinedFunction(action).orElse(
                "unsupported action {{" + action + "}} (Ursa supports {{.parameter}} only)"));
    }

    /** Go rejects an unknown function name while parsing, before it notices anything else. */
    private static Optional<String> undefinedFunction(String action) {
        Matcher m = IDENTIFIER.matcher(action);
        if (m.find() && !GO_NAMES.contains(m.group())) {
            return Optional.of("function \"" + m.group() + "\" not defined");
        }
        return Optional.empty();
    }

    private static boolean hasTrimMarker(String template, int at) {
        return at + 1 < template.length() && template.charAt(at) == '-'
                && Character.isWhitespace(template.charAt(at + 1));
    }

    private static IllegalArgumentException error(String template, int at, String message) {
        long line = 1 + template.substring(0, at).chars().filter(c -> c == '\n').count();
        return new IllegalArgumentException("template: :" + line + ": " + message);
    }
}
