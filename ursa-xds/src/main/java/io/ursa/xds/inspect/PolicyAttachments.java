package io.ursa.xds.inspect;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.api.dataplane.OutboundInterface;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyKind;
import io.ursa.xds.generator.policies.PolicyMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The policies that match one proxy, per attachment point, by the rules of {@link ConnectionPolicies} (Kuma
 * 2.0's {@code MatchedPolicies}, grouped as its inspect API groups them):
 * <ul>
 *   <li>the dataplane: the TrafficTrace and the ProxyTemplate that select the proxy;</li>
 *   <li>each inbound: the TrafficPermission whose destinations best match the inbound's tags, and every
 *       FaultInjection and RateLimit whose destinations match them;</li>
 *   <li>each outbound with a {@code kuma.io/service}: its TrafficRoute and Timeout;</li>
 *   <li>each service an outbound is called ({@code pass_through} too, for a proxy with transparent proxying): its
 *       TrafficLog; each service the TrafficRoute of an outbound sends traffic to (split entries with weight 0 or
 *       in another mesh left out, {@code '*'} meaning the outbound's service): its HealthCheck, CircuitBreaker and
 *       Retry.</li>
 * </ul>
 * An attachment no policy matches is left out. Matching is not applying: policy types Ursa does not configure yet
 * (HealthCheck, FaultInjection, RateLimit, ProxyTemplate, TrafficPermission's RBAC) are shown as Kuma would match
 * them. Stateless.
 */
final class PolicyAttachments {
    /** The destination service of traffic that leaves the mesh through a transparent proxy. */
    static final String PASS_THROUGH = "pass_through";
    private static final String MESH_TAG = "kuma.io/mesh";
    private static final String WILDCARD = "*";

    private PolicyAttachments() {
    }

    /** The attachments of {@code proxy} that some policy matches, in Kuma's order. */
    static List<Attachment> of(ProxyContext proxy) {
        List<Attachment> attachments = new ArrayList<>();
        add(attachments, Attachment.Type.DATAPLANE, "", "", matches(
                ConnectionPolicies.matchDataplane(ConnectionPolicies.TRAFFIC_TRACE, proxy),
                ConnectionPolicies.matchDataplane(ConnectionPolicies.PROXY_TEMPLATE, proxy)));
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking != null) {
            inbounds(proxy, networking, attachments);
            outboundsAndServices(proxy, networking, attachments);
        }
        attachments.sort(Attachment.ORDER);
        return List.copyOf(attachments);
    }

    private static void inbounds(ProxyContext proxy, DataplaneSpec.Networking networking,
                                 List<Attachment> attachments) {
        List<DataplaneSpec.Inbound> inbounds = networking.inbound();
        List<InboundInterface> interfaces = networking.inboundInterfaces();
        for (int i = 0; i < inbounds.size(); i++) {
            Map<String, String> tags = inbounds.get(i).tags();
            InboundInterface iface = interfaces.get(i);
            List<PolicyMatch<?>> matches = matches(
                    ConnectionPolicies.matchInbound(ConnectionPolicies.TRAFFIC_PERMISSION, proxy, tags));
            matches.addAll(ConnectionPolicies.matchAllInbound(ConnectionPolicies.FAULT_INJECTION, proxy, tags));
            matches.addAll(ConnectionPolicies.matchAllInbound(ConnectionPolicies.RATE_LIMIT, proxy, tags));
            add(attachments, Attachment.Type.INBOUND,
                    iface.dataplaneIp() + ":" + iface.dataplanePort() + ":" + iface.workloadPort(),
                    inbounds.get(i).service(), matches);
        }
    }

    private static void outboundsAndServices(ProxyContext proxy, DataplaneSpec.Networking networking,
                                             List<Attachment> attachments) {
        Set<String> called = new TreeSet<>();
        Set<String> routedTo = new TreeSet<>();
        List<DataplaneSpec.Outbound> outbounds = networking.outbound();
        List<OutboundInterface> interfaces = networking.outboundInterfaces();
        for (int i = 0; i < outbounds.size(); i++) {
            String service = serviceOf(outbounds.get(i));
            if (service.isEmpty()) {
                continue;
            }
            called.add(service);
            Optional<PolicyMatch<TrafficRouteSpec>> route =
                    ConnectionPolicies.match(ConnectionPolicies.TRAFFIC_ROUTE, proxy, service);
            route.ifPresent(r -> routedTo.addAll(destinations(r.policy().spec().conf(), service)));
            OutboundInterface iface = interfaces.get(i);
            add(attachments, Attachment.Type.OUTBOUND, iface.dataplaneIp() + ":" + iface.dataplanePort(), service,
                    matches(route, ConnectionPolicies.match(ConnectionPolicies.TIMEOUT, proxy, service)));
        }
        if (networking.transparentProxying() != null && networking.transparentProxying().redirectPortOutbound() != 0) {
            called.add(PASS_THROUGH);
        }
        Set<String> services = new TreeSet<>(called);
        services.addAll(routedTo);
        for (String service : services) {
            List<PolicyMatch<?>> matches = new ArrayList<>();
            if (called.contains(service)) {
                addMatch(matches, ConnectionPolicies.TRAFFIC_LOG, proxy, service);
            }
            if (routedTo.contains(service)) {
                addMatch(matches, ConnectionPolicies.HEALTH_CHECK, proxy, service);
                addMatch(matches, ConnectionPolicies.CIRCUIT_BREAKER, proxy, service);
                addMatch(matches, ConnectionPolicies.RETRY, proxy, service);
            }
            add(attachments, Attachment.Type.SERVICE, service, service, matches);
        }
    }

    /** The services a route sends the traffic of an outbound of {@code service} to. */
    private static Set<String> destinations(TrafficRouteSpec.Conf conf, String service) {
        Set<String> services = new TreeSet<>();
        if (conf == null) {
            return services;
        }
        List<TrafficRouteSpec.Split> splits = !conf.split().isEmpty() ? conf.split()
                : conf.destination().isEmpty() ? List.of()
                : List.of(new TrafficRouteSpec.Split(1L, conf.destination()));
        for (TrafficRouteSpec.Split split : splits) {
            if (split.weight() == null || split.weight() == 0 || split.destination().containsKey(MESH_TAG)) {
                continue;
            }
            String destination = split.destination().getOrDefault(Tags.SERVICE, WILDCARD);
            services.add(destination.equals(WILDCARD) ? service : destination);
        }
        return services;
    }

    /** An outbound's {@code kuma.io/service} tag, else its legacy {@code service} field. */
    private static String serviceOf(DataplaneSpec.Outbound outbound) {
        String tagged = outbound.tags().getOrDefault(Tags.SERVICE, "");
        return tagged.isEmpty() ? outbound.service() : tagged;
    }

    private static <S extends Spec> void addMatch(List<PolicyMatch<?>> matches, PolicyKind<S> kind,
                                                 ProxyContext proxy, String service) {
        ConnectionPolicies.match(kind, proxy, service).ifPresent(matches::add);
    }

    @SafeVarargs
    private static List<PolicyMatch<?>> matches(Optional<? extends PolicyMatch<?>>... found) {
        List<PolicyMatch<?>> matches = new ArrayList<>();
        for (Optional<? extends PolicyMatch<?>> match : found) {
            match.ifPresent(matches::add);
        }
        return matches;
    }

    private static void add(List<Attachment> attachments, Attachment.Type type, String name, String service,
                            List<PolicyMatch<?>> matches) {
        if (!matches.isEmpty()) {
            attachments.add(new Attachment(type, name, service, matches));
        }
    }
}
