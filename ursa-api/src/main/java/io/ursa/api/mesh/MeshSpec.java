package io.ursa.api.mesh;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import java.util.List;
import java.util.Optional;

/**
 * Spec of a Mesh ({@code kuma.mesh.v1alpha1.Mesh}, 2.0 plus {@code skipCreatingInitialPolicies} from 2.3).
 * Every section is optional: {@code null} means absent, which is not the same as present and empty
 * ({@code metrics: {}} is kept as written). Components are in proto field order, which is the JSON order.
 *
 * @param skipCreatingInitialPolicies policy type names whose default instances are not created with the mesh;
 *        {@code "*"} skips all
 */
public record MeshSpec(Mtls mtls, Tracing tracing, Logging logging, Metrics metrics, Networking networking,
                       Routing routing, Constraints constraints, List<String> skipCreatingInitialPolicies)
        implements Spec {
    private static final MeshSpec EMPTY = new MeshSpec(null, null, null, null, null, null, null, null);

    public MeshSpec {
        skipCreatingInitialPolicies = Lists.copyOf(skipCreatingInitialPolicies);
    }

    /** The spec of {@code {}}: mTLS off, no backends, passthrough on. The default mesh is created with it. */
    public static MeshSpec empty() {
        return EMPTY;
    }

    public MeshSpec withMetrics(Metrics value) {
        return new MeshSpec(mtls, tracing, logging, value, networking, routing, constraints,
                skipCreatingInitialPolicies);
    }

    /** Whether mTLS is on: {@code mtls.enabledBackend} is set. */
    public boolean mtlsEnabled() {
        return mtls != null && !mtls.enabledBackend().isEmpty();
    }

    /** The CA backend {@code mtls.enabledBackend} names; empty when mTLS is off. */
    public Optional<Mtls.Backend> enabledMtlsBackend() {
        return mtls == null ? Optional.empty() : mtls.backend(mtls.enabledBackend());
    }

    /** The metrics backend {@code metrics.enabledBackend} names; empty when metrics are off. */
    public Optional<Metrics.Backend> enabledMetricsBackend() {
        return metrics == null ? Optional.empty() : metrics.backend(metrics.enabledBackend());
    }

    /** The logging backend called {@code name}, or {@code logging.defaultBackend}'s when {@code name} is empty. */
    public Optional<Logging.Backend> loggingBackend(String name) {
        return logging == null ? Optional.empty()
                : logging.backend(name.isEmpty() ? logging.defaultBackend() : name);
    }

    /** The tracing backend called {@code name}, or {@code tracing.defaultBackend}'s when {@code name} is empty. */
    public Optional<Tracing.Backend> tracingBackend(String name) {
        return tracing == null ? Optional.empty()
                : tracing.backend(name.isEmpty() ? tracing.defaultBackend() : name);
    }

    /** {@code networking.outbound.passthrough}; unset counts as true (Kuma's {@code IsPassthrough}). */
    @JsonIgnore
    public boolean isPassthrough() {
        if (networking == null || networking.outbound() == null || networking.outbound().passthrough() == null) {
            return true;
        }
        return networking.outbound().passthrough();
    }

    /** {@code routing.zoneEgress}. Validation guarantees mTLS is on when it is true. */
    public boolean zoneEgressEnabled() {
        return routing != null && routing.zoneEgress();
    }

    /** {@code routing.localityAwareLoadBalancing}. */
    public boolean localityAwareLoadBalancingEnabled() {
        return routing != null && routing.localityAwareLoadBalancing();
    }
}
