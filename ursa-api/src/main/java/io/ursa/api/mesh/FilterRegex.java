package io.ursa.api.mesh;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a prometheus {@code envoy.filterRegex}, which Kuma compiles with Go's RE2 syntax. The pattern must
 * compile with {@code java.util.regex}; on top of that, the constructs Java accepts but RE2 rejects (look-around,
 * atomic groups and other Perl group flags, backreferences, possessive quantifiers) are refused with RE2's
 * message, so that a pattern Envoy would reject is caught here.
 */
final class FilterRegex {
    private static final String PREFIX = "error parsing regexp: ";
    private static final Pattern COUNTED_REPEAT = Pattern.compile("\\{\\d+(,\\d*)?}");
    /** RE2's named group; Java spells it {@code (?<name>} and allows fewer names, so it is compiled as a group. */
    private static final Pattern RE2_NAMED_GROUP = Pattern.compile("\\(\\?P<\\w+>");

    private FilterRegex() {
    }

    /** The reason {@code regex} is not usable, empty when it is. */
    static Optional<String> check(String regex) {
        Optional<String> re2Only = re2Violation(regex);
        if (re2Only.isPresent()) {
            return re2Only.map(reason -> PREFIX + reason);
        }
        try {
            Pattern.compile(RE2_NAMED_GROUP.matcher(regex).replaceAll("("));
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            String message = e.getMessage();
            int newline = message.indexOf('\n');
            return Optional.of(PREFIX + (newline < 0 ? message : message.substring(0, newline)));
        }
    }

    private static Optional<String> re2Violation(String regex) {
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(i + 1);
                if (next == 'Q' && !inClass) {
                    int end = regex.indexOf("\\E", i + 2);
                    i = end < 0 ? regex.length() : end + 1;
                    continue;
                }
                boolean octal = i + 2 < regex.length() && regex.charAt(i + 2) >= '0' && regex.charAt(i + 2) <= '7';
                if (next >= '1' && next <= '9' && !(next <= '7' && octal)) {
                    return Optional.of("invalid escape sequence: `\\" + next + "`");
                }
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                i += regex.startsWith("[^]", i) ? 2 : regex.startsWith("[]", i) ? 1 : 0;
            } else if (c == '(' && regex.startsWith("(?", i) && !regex.startsWith("(?P<", i)) {
                Optional<String> flags = perlFlags(regex, i);
                if (flags.isPresent()) {
                    return flags;
                }
            } else if (isRepeat(regex, i)) {
                int end = repeatEnd(regex, i);
                if (end < regex.length() && regex.charAt(end) == '+') {
                    return Optional.of("invalid nested repetition operator: `" + regex.substring(i, end + 1) + "`");
                }
            }
        }
        return Optional.empty();
    }

    /** RE2 allows only {@code (?flags)} and {@code (?flags:...)} with flags from {@code imsU} and one '-'. */
    private static Optional<String> perlFlags(String regex, int start) {
        boolean negated = false;
        for (int i = start + 2; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == ':' || c == ')') {
                return Optional.empty();
            }
            if ("imsU".indexOf(c) >= 0 || c == '-' && !negated) {
                negated |= c == '-';
                continue;
            }
            return Optional.of("invalid or unsupported Perl syntax: `" + regex.substring(start, i + 1) + "`");
        }
        return Optional.empty();
    }

    private static boolean isRepeat(String regex, int i) {
        char c = regex.charAt(i);
        return c == '*' || c == '+' || c == '?'
                || c == '{' && COUNTED_REPEAT.matcher(regex).region(i, regex.length()).lookingAt();
    }

    /** Index after a repeat operator and its optional lazy '?'. */
    private static int repeatEnd(String regex, int i) {
        int end = regex.charAt(i) == '{' ? regex.indexOf('}', i) + 1 : i + 1;
        return end < regex.length() && regex.charAt(end) == '?' ? end + 1 : end;
    }
}
