package io.ursa.api.codec;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * Quotes every string a YAML 1.1 reader would take for something else. Jackson's own check leaves
 * {@code 70696e67} (a hex payload) or {@code 1_000} plain, which SnakeYAML, and Jackson reading through it, resolve
 * to a float and an integer, so a written value would not read back as written. The patterns are YAML 1.1's
 * resolvers for floats, integers and sexagesimal numbers, as SnakeYAML implements them.
 */
public final class YamlQuoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    private static final Pattern FLOAT = Pattern.compile("^([-+]?(\\.[0-9]+|[0-9_]+(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
    private static final Pattern INT = Pattern.compile("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");

    @Override
    public boolean needToQuoteValue(String value) {
        return super.needToQuoteValue(value) || readsAsNumber(value);
    }

    /** Whether a YAML 1.1 reader resolves the plain scalar {@code value} to a number. */
    static boolean readsAsNumber(String value) {
        return !value.isEmpty() && (FLOAT.matcher(value).matches() || INT.matcher(value).matches());
    }
}
