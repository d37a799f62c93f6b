package io.ursa.xds.inspect;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.policy.PolicySupport;
import io.ursa.api.spec.Selector;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.generator.ZoneEgressRouting;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.gateway.GatewayInspection;
import io.ursa.xds.gateway.GatewaySelection;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.generator.policies.PolicyMatch;
import io.ursa.xds.generator.policies.TagSelectorRank;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The policies that match a proxy, as Kuma 2.0's {@code GET /meshes/{mesh}/dataplanes/{name}/policies} answers:
 * <pre>{@code
 * {"kind": "SidecarDataplane", "total": 2, "items": [
 *   {"type": "inbound", "name": "10.0.0.1:8080:80", "service": "web",
 *    "matchedPolicies": {"TrafficPermission": [{"type": "TrafficPermission", "mesh": ..., "name": ..., ...}]},
 *    "matchedBy": {"TrafficPermission": [{"name": "allow-all", "destination": {"match": {...}},
 *                                         "rank": {"exact": 0, "wildcard": 1}}]}},
 *   ...]}
 * }</pre>
 * Attachments and their rules are in {@link PolicyAttachments}; {@code matchedPolicies} maps each policy type to
 * its policies as the REST API shows them, in the order they rank. {@code matchedBy}, an Ursa extension, says why
 * each of them matched, in the same order: the {@code source} (or, for a dataplane policy, {@code selector}) and
 * the {@code destination} selector that matched (an inbound policy matches by its destinations only), and the
 * {@code rank} they add up to. Where one policy of a type wins, the rank decided it: more tags in total first,
 * then more exact values; then the policy created later, then the first name. FaultInjections and RateLimits of
 * an inbound all apply; they are listed in Kuma's order, by the rank of their first {@code sources} selector, the
 * newer first on a tie. {@code matchedBy} sits beside {@code matchedPolicies} rather than inside the policies, so
 * clients that read Kuma's shape are not disturbed. {@code notApplied}, another extension, names each matched type
 * that this kind of proxy (Envoy sidecar or proxyless gRPC) does not get at all, and why ({@link PolicySupport}):
 * matched is not always applied; what is applied only in part is in {@code GET /policies}. With mesh mTLS on, an
 * outbound item says with {@code mtls} whether the proxy sends mesh mTLS to that service (always in STRICT mode; in
 * PERMISSIVE mode once the service is TLS-ready; to an ExternalService only through a zone egress) or not.
 * A builtin gateway's answer is Kuma's {@code MeshGatewayDataplane} one instead ({@link GatewayInspection}).
 * Stateless.
 */
public final class PolicyMatches {
    /** Kuma's {@code kind} of the answer for a proxy that is not a built-in gateway. */
    static final String SIDECAR_DATAPLANE = "SidecarDataplane";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PolicyMatches() {
    }

    /** The inspect answer for {@code proxy}; its policies are written by {@code codec}. */
    public static ObjectNode json(ProxyContext proxy, ResourceCodec codec) {
        requireNonNull(proxy, "proxy");
        requireNonNull(codec, "codec");
        if (proxy.metadata().kind() == ProxyKind.ENVOY && GatewaySelection.isBuiltinGateway(proxy.dataplane())) {
            return GatewayInspection.dataplane(proxy, codec);
        }
        List<Attachment> attachments = PolicyAttachments.of(proxy);
        Optional<MeshMtls> mtls = proxy.mtls();
        ObjectNode out = JSON.objectNode();
        out.put("kind", SIDECAR_DATAPLANE);
        out.put("total", attachments.size());
        ArrayNode items = out.putArray("items");
        for (Attachment attachment : attachments) {
            items.add(item(attachment, mtls.map(m -> sendsMeshMtls(proxy, m, attachment.service())), codec,
                    proxy.metadata().kind()));
        }
        return out;
    }

    /**
     * Whether the proxy sends mesh mTLS to {@code service}: to an ExternalService only an Envoy sidecar of a mesh
     * with zone egress does (to the egress); to a mesh service, the mesh's rule.
     */
    private static boolean sendsMeshMtls(ProxyContext proxy, MeshMtls mtls, String service) {
        if (!proxy.mesh().externalEndpoints(service).isEmpty()) {
            return proxy.metadata().kind() == ProxyKind.ENVOY && ZoneEgressRouting.applies(proxy.mesh());
        }
        return mtls.sendsMtlsTo(service);
    }

    private static ObjectNode item(Attachment attachment, Optional<Boolean> mtls, ResourceCodec codec,
                                   ProxyKind kind) {
        Map<String, List<PolicyMatch<?>>> byType = new TreeMap<>();
        attachment.matches().forEach(m -> byType.computeIfAbsent(m.policy().type().name(), t -> new ArrayList<>())
                .add(m));
        ObjectNode item = JSON.objectNode();
        item.put("type", attachment.type().json());
        item.put("name", attachment.name());
        item.put("service", attachment.service());
        if (attachment.type() == Attachment.Type.OUTBOUND && mtls.isPresent()) {
            item.put("mtls", mtls.get());
        }
        ObjectNode policies = item.putObject("matchedPolicies");
        ObjectNode reasons = item.putObject("matchedBy");
        String sourceField = attachment.type() == Attachment.Type.DATAPLANE ? "selector" : "source";
        byType.forEach((type, matches) -> {
            ArrayNode policyList = policies.putArray(type);
            ArrayNode reasonList = reasons.putArray(type);
            for (PolicyMatch<?> match : matches) {
                policyList.add(codec.toUniversal(match.policy()));
                reasonList.add(reason(match, sourceField));
            }
        });
        ObjectNode notApplied = JSON.objectNode();
        byType.keySet().forEach(type -> PolicySupport.of(type).ifPresent(support -> {
            PolicySupport.Level level = kind == ProxyKind.GRPC ? support.proxylessGrpc() : support.envoy();
            if (level == PolicySupport.Level.NOT_APPLIED) {
                notApplied.put(type, support.note());
            }
        }));
        if (!notApplied.isEmpty()) {
            item.set("notApplied", notApplied);
        }
        return item;
    }

    private static ObjectNode reason(PolicyMatch<?> match, String sourceField) {
        ObjectNode reason = JSON.objectNode();
        reason.put("name", match.policy().name());
        selector(reason, sourceField, match.source());
        selector(reason, "destination", match.destination());
        TagSelectorRank rank = match.rank();
        reason.putObject("rank").put("exact", rank.exact()).put("wildcard", rank.wildcard());
        return reason;
    }

    private static void selector(ObjectNode reason, String field, Optional<Selector> selector) {
        selector.ifPresent(s -> {
            ObjectNode match = reason.putObject(field).putObject("match");
            new TreeMap<>(s.match()).forEach(match::put);
        });
    }
}
