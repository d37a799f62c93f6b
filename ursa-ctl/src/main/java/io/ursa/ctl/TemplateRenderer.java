package io.ursa.ctl;

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
 * Renders documents as Mustache templates with the {@code -v key=value} variables of {@code apply}. Dotted keys
 * become nested maps ({@code a.b=x} is {@code {a: {b: x}}}), as in kumactl. Values are inserted as they are:
 * the output is YAML, not HTML, so nothing is HTML-escaped. Variables that are not given render as empty.
 * Partials ({@code {{> file}}}) are refused.
 */
final class TemplateRenderer {
    private final Map<String, Object> context;

    TemplateRenderer(Map<String, String> variables) {
        this.context = nest(variables);
    }

    /** Renders {@code template}; without variables the text is returned untouched, as kumactl does. */
    String render(String template, String name) {
        if (context.isEmpty()) {
            return template;
        }
        try {
            Mustache mustache = new RawMustacheFactory().compile(new StringReader(template), name);
            StringWriter out = new StringWriter();
            mustache.execute(out, context).flush();
            return out.toString();
        } catch (MustacheException e) {
            throw new CtlException("could not render the template: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code a.b=x, a.c=y, d=z} into {@code {a: {b: x, c: y}, d: z}}; a later key wins over an earlier one. */
    static Map<String, Object> nest(Map<String, String> variables) {
        Map<String, Object> root = new LinkedHashMap<>();
        variables.forEach((key, value) -> {
            String[] parts = key.split("\\.", -1);
            Map<String, Object> map = root;
            for (int i = 0; i < parts.length - 1; i++) {
                map = childMap(map, parts[i]);
            }
            map.put(parts[parts.length - 1], value);
        });
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> childMap(Map<String, Object> parent, String key) {
        Object existing = parent.get(key);
        if (existing instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> child = new LinkedHashMap<>();
        parent.put(key, child);
        return child;
    }

    /**
     * A factory per render (it caches templates by name) that writes values without HTML escaping and refuses
     * partials, so a template (perhaps downloaded) cannot pull local files into what is sent.
     */
    private static final class RawMustacheFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException("could not write a value", e);
            }
        }

        @Override
        public Mustache compilePartial(String name) {
            throw new MustacheException("partials are not supported ({{> " + name + "}})");
        }
    }
}
