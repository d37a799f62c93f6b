package io.ursa.xds.generator.policies;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import java.util.Optional;

/**
 * A policy that matched, and why: the selector of its {@code sources} (or {@code selectors}) that matched the
 * proxy and the selector of its {@code destinations} that matched the traffic, each absent when that side played
 * no part in the match.
 */
public record PolicyMatch<S extends Spec>(Resource<S> policy, Optional<Selector> source,
                                          Optional<Selector> destination) {
    public PolicyMatch {
        requireNonNull(policy, "policy");
        requireNonNull(source, "source");
        requireNonNull(destination, "destination");
    }

    /** The rank of the selectors that matched, added up: what this policy was compared with the others by. */
    public TagSelectorRank rank() {
        TagSelectorRank rank = TagSelectorRank.NONE;
        if (source.isPresent()) {
            rank = rank.combinedWith(TagSelectorRank.of(source.get()));
        }
        if (destination.isPresent()) {
            rank = rank.combinedWith(TagSelectorRank.of(destination.get()));
        }
        return rank;
    }
}
