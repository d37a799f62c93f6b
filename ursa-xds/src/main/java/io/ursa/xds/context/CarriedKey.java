package io.ursa.xds.context;

import java.util.Set;

/**
 * A key of {@link SharedResources} whose value may outlive its mesh context: after a <em>narrow change</em> (the
 * next context differs only in some Dataplanes, so in the endpoints of some services, and in destination policies
 * of some named services; {@code io.ursa.xds.server.NarrowChange}), the value is what the next context would
 * compute for the same key, unless the key says the change affects it. The reconciler carries such values into the
 * next context ({@link SharedResources#carryFrom}), so a deploy regenerates only what depends on the services it
 * touched.
 *
 * <p>An implementation must name every service whose endpoints or destination policies its value reads, and its
 * value may read nothing else of the context that a narrow change may alter.
 */
public interface CarriedKey {
    /**
     * Whether this key's value may differ in a context where the endpoints of {@code changedServices} changed and,
     * when {@code policiesChanged}, the destination policies of those services (so the mesh's list of policies and
     * the positions in it differ too).
     */
    boolean affectedBy(Set<String> changedServices, boolean policiesChanged);
}
