package io.ursa.ctl;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code --tag} values of {@code generate dataplane-token}: each is {@code key=value} or
 * {@code key=value1,value2}; values of the same key accumulate across repeated flags.
 */
final class DataplaneTokenTags {
    private DataplaneTokenTags() {
    }

    static SortedMap<String, SortedSet<String>> parse(List<String> flags) {
        SortedMap<String, SortedSet<String>> tags = new TreeMap<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("invalid --tag " + Texts.quote(flag)
                        + " (expected: key=value or key=value1,value2, e.g. kuma.io/service=web)");
            }
            String key = flag.substring(0, eq);
            SortedSet<String> values = tags.computeIfAbsent(key, k -> new TreeSet<>());
            for (String value : flag.substring(eq + 1).split(",")) {
                if (value.isEmpty()) {
                    throw new UsageException("invalid --tag " + Texts.quote(flag)
                            + " (expected: a non-empty value for every comma-separated entry)");
                }
                values.add(value);
            }
        }
        return Collections.unmodifiableSortedMap(tags);
    }
}
