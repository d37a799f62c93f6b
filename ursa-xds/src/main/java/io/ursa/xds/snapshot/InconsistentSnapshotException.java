package io.ursa.xds.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A {@link io.ursa.xds.resources.ResourceSet} that must not be published: a proxy asking over ADS for a name the
 * snapshot lacks would never get an answer (stack-notes P8, envoy-config §8.3–8.4). {@link #problems()} names
 * every dangling reference and stray resource.
 */
public final class InconsistentSnapshotException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    InconsistentSnapshotException(String subject, List<String> problems) {
        super("inconsistent snapshot" + (subject.isEmpty() ? "" : " for " + subject) + ": "
                + String.join("; ", problems));
        this.problems = List.copyOf(requireNonNull(problems, "problems"));
    }

    /** One sentence per problem, each naming the resource that refers and the names that are missing. */
    public List<String> problems() {
        return problems;
    }
}
