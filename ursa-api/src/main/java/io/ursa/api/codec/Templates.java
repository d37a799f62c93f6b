package io.ursa.api.codec;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders resource templates with {@code key=value} variables, as {@code kumactl apply -v} and
 * {@code kuma-dp run --dataplane-var} do with Mustache: {@code {{ name }}} is replaced, an unknown variable
 * renders as nothing, and a dotted key ({@code a.b=c}) becomes a nested value that {@code {{ a.b }}} reaches.
 * Two deliberate differences from Kuma: values are not HTML-escaped (the output is YAML, not HTML), and
 * partials ({@code {{> file}}}) are refused so a template, perhaps downloaded, cannot pull in local files.
 */
public final class Templates {
    /** The template is not valid Mustache, or uses a partial. */
    public static final class TemplateException extends RuntimeException {
        TemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Templates() {
    }

    /** Renders {@code template}, read from {@code source} (named in errors), with {@code variables}. */
    public static String render(String template, Map<String, String> variables, String source) {
        try {
            Mustache mustache = new RawMustacheFactory().compile(new StringReader(template), source);
            StringWriter out = new StringWriter();
            mustache.execute(out, nest(variables)).flush();
            return out.toString();
        } catch (MustacheException e) {
            throw new TemplateException("could not render the template " + source + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code a.b=x, a.c=y, d=z} becomes {@code {a: {b: x, c: y}, d: z}}; a later key wins where they collide. */
    static Map<String, Object> nest(Map<String, String> variables) {
        Map<String, Object> root = new LinkedHashMap<>();
        variables.forEach((key, value) -> {
            String[] parts = key.split("\\.", -1);
            Map<String, Object> level = root;
            for (int i = 0; i < parts.length - 1; i++) {
                level = child(level, parts[i]);
            }
            level.put(parts[parts.length - 1], value);
        });
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> level, String key) {
        Object existing = level.get(key);
        if (existing instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        level.put(key, created);
        return created;
    }

    /** Writes values as they are and has no partials. One instance per rendering (it caches templates by name). */
    private static final class RawMustacheFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException("could not write the rendered template", e);
            }
        }

        @Override
        public Mustache compilePartial(String name) {
            throw new MustacheException("partials are not supported ({{> " + name + "}})");
        }
    }
}
