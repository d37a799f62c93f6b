package io.ursa.api.codec;

import java.util.regex.Pattern;

/**
 * A JSON or YAML parser's message, as a client may read it: about the input, not about the code that parsed it
 * (no source references, Java type names, exception classes or SnakeYAML event objects).
 */
public final class ParserMessages {
    private ParserMessages() {
    }

    /**
     * The first line of a parser's message, without the parts that speak of our code rather than the input: a
     * start marker's {@code [Source: ...; line: L, column: C]} becomes "line L, column C", any other source
     * reference, Java type names in backquotes and exception classes in parentheses go.
     */
    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        line = START_MARKER.matcher(line).replaceAll("(opened at line $1, column $2)");
        line = SOURCE.matcher(line).replaceAll("");
        line = YAML_EVENT.matcher(line).replaceAll(m -> yamlEvent(m.group(1)));
        line = EXCEPTION_CLASS.matcher(line).replaceAll("");
        return JAVA_TYPE.matcher(line).replaceAll("a value");
    }

    /** What SnakeYAML's event {@code <name>Event} stands for in the input. */
    private static String yamlEvent(String name) {
        return switch (name) {
            case "MappingStart" -> "a mapping";
            case "SequenceStart" -> "a sequence";
            case "MappingEnd" -> "the end of a mapping";
            case "SequenceEnd" -> "the end of a sequence";
            case "Scalar" -> "a scalar";
            case "Alias" -> "an alias";
            case "DocumentStart" -> "the start of a document";
            case "DocumentEnd" -> "the end of a document";
            case "StreamEnd" -> "the end of the input";
            default -> "something else";
        };
    }

    private static final Pattern START_MARKER = Pattern.compile(
            "\\(start marker at \\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern SOURCE = Pattern.compile(
            " ?(at )?\\[Source: [^\\]]*\\]");
    private static final Pattern YAML_EVENT = Pattern.compile(
            "<org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event\\([^>]*\\)>");
    private static final Pattern JAVA_TYPE = Pattern.compile(
            "`[a-z][\\w$]*(\\.[\\w$]+)+(<[^`]*>)?`");
    /** A parser's "due to (java.lang.NumberFormatException)": the exception's class says nothing of the input. */
    private static final Pattern EXCEPTION_CLASS = Pattern.compile(
            " ?(due to )?\\((?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*\\)");

}
