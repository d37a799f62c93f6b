package io.ursa.api.validation;

/**
 * An immutable field path rendered the way Kuma renders it: {@code a.b} for fields, {@code a[3]} for list
 * indices and {@code a["key"]} for map keys.
 */
public final class Path {
    private static final Path ROOT = new Path("");

    private final String rendered;

    private Path(String rendered) {
        this.rendered = rendered;
    }

    public static Path root() {
        return ROOT;
    }

    /** A path from its rendered form, e.g. {@code Path.of("mtls.backends")}. */
    public static Path of(String rendered) {
        return rendered.isEmpty() ? ROOT : new Path(rendered);
    }

    public Path field(String name) {
        if (name.isEmpty()) {
            return this;
        }
        return new Path(rendered.isEmpty() ? name : rendered + "." + name);
    }

    public Path index(int index) {
        return new Path(rendered + "[" + index + "]");
    }

    public Path key(String key) {
        return new Path(rendered + "[" + quote(key) + "]");
    }

    /** Appends a relative path, e.g. a nested validator's result, under this one. */
    public Path resolve(String relative) {
        if (relative.isEmpty()) {
            return this;
        }
        if (rendered.isEmpty()) {
            return new Path(relative);
        }
        return new Path(relative.startsWith("[") ? rendered + relative : rendered + "." + relative);
    }

    public boolean isRoot() {
        return rendered.isEmpty();
    }

    @Override
    public String toString() {
        return rendered;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && p.rendered.equals(rendered);
    }

    @Override
    public int hashCode() {
        return rendered.hashCode();
    }

    /** Quotes a map key like Go's {@code %q}: backslash and double quote escaped. */
    static String quote(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 2).append('"');
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
