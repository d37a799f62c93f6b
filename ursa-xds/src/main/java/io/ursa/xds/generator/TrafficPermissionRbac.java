package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.policy.TrafficPermissionSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The authorization rules of an inbound with mesh mTLS on, from the TrafficPermission that matches it
 * ({@code kuma-2.0-envoy-config.md} §2.7, mesh-spec §13.5, Kuma's {@code network_rbac_configurer.go}). One class
 * for both profiles: a sidecar puts the rules in the network filter {@code envoy.filters.network.rbac}, a proxyless
 * gRPC server in the HTTP filter {@code envoy.filters.http.rbac}.
 *
 * <p>Kuma's rules: the best-matching TrafficPermission ({@link ConnectionPolicies#matchInbound}) becomes the one
 * ALLOW policy, keyed by its name, with {@code permissions: [{any: true}]} and one principal per {@code sources}
 * selector (OR). Within a selector, in this order: every tag other than {@code kuma.io/service} whose value is not
 * {@code *}, keys sorted, as {@code authenticated.principalName.exact: kuma://<tag>/<value>}; then
 * {@code kuma.io/service} (not {@code *}) as {@code spiffe://<mesh>/<service>}, the mesh being the proxy's. No such
 * principal gives {@code {any: true}}, one gives itself, more give {@code andIds}. No matching TrafficPermission
 * gives rules without policies, which deny everything.
 *
 * <p><b>Ursa extension: {@code kuma.io/mesh} in a source names the caller's mesh.</b> Ursa's inbounds accept the
 * proxies of every mesh that shares their mesh's CA ({@link io.ursa.xds.context.MeshMtls#trustedMeshes()}), and
 * TrafficPermission decides which may call:
 * <ul>
 *   <li>{@code kuma.io/mesh: M} with a service: the service principal is {@code spiffe://M/<service>};</li>
 *   <li>{@code kuma.io/mesh: M} without a service (or with {@code *}): the principal
 *       {@code authenticated.principalName.prefix: spiffe://M/}, any proxy of mesh M, instead of {@code any};</li>
 *   <li>{@code kuma.io/mesh: '*'}: any trusted mesh; a service is then matched by its tag SAN
 *       {@code kuma://kuma.io/service/<service>}, which every proxy certificate carries;</li>
 *   <li>{@code kuma.io/mesh} itself never becomes a {@code kuma://} principal.</li>
 * </ul>
 * Without {@code kuma.io/mesh}, the selector means what it means in Kuma, over the callers TLS lets in: a service
 * is pinned to the proxy's mesh, while other tags ({@code kuma://version/v1}) and {@code {any: true}} match callers
 * of every trusted mesh. Stateless.
 */
final class TrafficPermissionRbac {
    /** The source tag that names the caller's mesh. */
    static final String MESH_TAG = RouteTargets.MESH_TAG;
    private static final String ANY = "*";

    private TrafficPermissionRbac() {
    }

    /** The rules of the inbound of {@code proxy} with {@code inboundTags}. */
    static RBAC forInbound(ProxyContext proxy, Map<String, String> inboundTags) {
        requireNonNull(proxy, "proxy");
        return rules(proxy.mesh().name(), ConnectionPolicies.matchInbound(ConnectionPolicies.TRAFFIC_PERMISSION,
                proxy, requireNonNull(inboundTags, "inboundTags")).map(PolicyMatch::policy));
    }

    /** The rules that {@code permission} of {@code mesh} gives; deny-all when it is empty or has no sources. */
    static RBAC rules(String mesh, Optional<Resource<TrafficPermissionSpec>> permission) {
        requireNonNull(mesh, "mesh");
        RBAC.Builder rules = RBAC.newBuilder().setAction(RBAC.Action.ALLOW);
        permission.filter(p -> !p.spec().sources().isEmpty())
                .ifPresent(p -> rules.putPolicies(p.name(), policy(mesh, p.spec())));
        return rules.build();
    }

    private static Policy policy(String mesh, TrafficPermissionSpec spec) {
        Policy.Builder policy = Policy.newBuilder().addPermissions(Permission.newBuilder().setAny(true));
        for (Selector source : spec.sources()) {
            policy.addPrincipals(principal(mesh, source.match()));
        }
        return policy.build();
    }

    /** The principal of one source selector (rules in the type comment). */
    static Principal principal(String mesh, Map<String, String> tags) {
        List<Principal> ids = new ArrayList<>();
        new TreeMap<>(tags).forEach((key, value) -> {
            if (!key.equals(Tags.SERVICE) && !key.equals(MESH_TAG) && !value.equals(ANY)) {
                ids.add(exact("kuma://" + key + "/" + value));
            }
        });
        String service = tags.get(Tags.SERVICE);
        boolean anyService = service == null || service.equals(ANY);
        String callerMesh = tags.get(MESH_TAG);
        if (callerMesh == null) {
            if (!anyService) {
                ids.add(exact(SpiffeIds.of(mesh, service)));
            }
        } else if (callerMesh.equals(ANY)) {
            if (!anyService) {
                ids.add(exact("kuma://" + Tags.SERVICE + "/" + service));
            }
        } else {
            ids.add(anyService ? prefix(SpiffeIds.meshPrefix(callerMesh)) : exact(SpiffeIds.of(callerMesh, service)));
        }
        return switch (ids.size()) {
            case 0 -> Principal.newBuilder().setAny(true).build();
            case 1 -> ids.get(0);
            default -> Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(ids)).build();
        };
    }

    private static Principal exact(String name) {
        return authenticated(StringMatcher.newBuilder().setExact(name).build());
    }

    private static Principal prefix(String name) {
        return authenticated(StringMatcher.newBuilder().setPrefix(name).build());
    }

    private static Principal authenticated(StringMatcher name) {
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name))
                .build();
    }
}
