package io.ursa.xds.generator.policies;

import io.ursa.api.spec.Selector;
import java.util.Map;

/**
 * How specific a tag selector is (Kuma's {@code mesh_proto.TagSelectorRank}): the number of tags it matches by an
 * exact value and the number it matches by {@code '*'}. A rank with more tags in total is more specific; with the
 * same total, the one with more exact values is.
 */
public record TagSelectorRank(int exact, int wildcard) implements Comparable<TagSelectorRank> {
    static final String WILDCARD = "*";
    static final TagSelectorRank NONE = new TagSelectorRank(0, 0);

    public TagSelectorRank {
        if (exact < 0 || wildcard < 0) {
            throw new IllegalArgumentException("invalid rank: " + exact + "/" + wildcard + " (expected: >= 0)");
        }
    }

    /** The rank of {@code selector}: its exact and its {@code '*'} values. */
    public static TagSelectorRank of(Selector selector) {
        int exact = 0;
        int wildcard = 0;
        for (String value : selector.match().values()) {
            if (WILDCARD.equals(value)) {
                wildcard++;
            } else {
                exact++;
            }
        }
        return new TagSelectorRank(exact, wildcard);
    }

    /** Whether {@code selector} matches {@code tags}: every selector tag is present, with its value or any for '*'. */
    public static boolean matches(Selector selector, Map<String, String> tags) {
        for (Map.Entry<String, String> tag : selector.match().entrySet()) {
            String value = tags.get(tag.getKey());
            if (value == null || !(WILDCARD.equals(tag.getValue()) || tag.getValue().equals(value))) {
                return false;
            }
        }
        return true;
    }

    TagSelectorRank combinedWith(TagSelectorRank other) {
        return new TagSelectorRank(exact + other.exact, wildcard + other.wildcard);
    }

    @Override
    public int compareTo(TagSelectorRank other) {
        int total = Integer.compare(exact + wildcard, other.exact + other.wildcard);
        return total != 0 ? total : Integer.compare(exact, other.exact);
    }
}
