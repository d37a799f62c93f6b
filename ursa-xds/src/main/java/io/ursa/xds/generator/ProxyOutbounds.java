package io.ursa.xds.generator;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.xds.context.CarriedKey;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.vips.MeshVips;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The outbounds a proxy gets listeners for (envoy-config §3.1, Kuma's {@code resolveVIPOutbounds} in
 * {@code dataplane_proxy_builder.go}).
 *
 * <p>Without transparent proxying: {@code networking.outbound[]} as written. With it ({@code redirectPortOutbound}
 * set), the control plane replaces the list:
 * <ol>
 *   <li>the outbounds written in the Dataplane whose address is not a VIP of the mesh, in their order;</li>
 *   <li>then the mesh's VIP outbounds ({@link MeshVips#outbounds()}: every service on its VIP at port 80 and at its
 *       own port when it has one, every VirtualOutbound host on its ports), in entry order, except those whose
 *       service is not in {@code transparentProxying.reachableServices} (when that list is given) and those on an
 *       address and port an inbound of the proxy uses.</li>
 * </ol>
 *
 * <p>The list depends on the proxy only through its written outbounds, its reachable services and its inbounds, and
 * the inbounds almost never sit on a VIP. So the list without the inbound rule is resolved once per (written
 * outbounds, reachable services) in the mesh context ({@link io.ursa.xds.context.SharedResources}) and the replicas
 * of a workload get the same list instance (which also makes the outbound generator's own sharing key cheap to
 * compare); only a proxy with an inbound on one of those VIP outbounds gets a copy without it.
 */
final class ProxyOutbounds {
    private ProxyOutbounds() {
    }

    /** What the list without the inbound rule is resolved from besides the mesh context. */
    private record Key(List<DataplaneSpec.Outbound> written, List<String> reachableServices) implements CarriedKey {
        /** Resolved from the mesh's VIPs alone, which a narrow change leaves as they were. */
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }

    /** The resolved list: the written non-VIP outbounds first ({@code writtenCount} of them), then the VIP ones. */
    private record Resolved(List<DataplaneSpec.Outbound> outbounds, int writtenCount) {
    }

    /** The outbounds of {@code proxy}; the Dataplane's own list, unchanged, without transparent proxying. */
    static List<DataplaneSpec.Outbound> of(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null || !networking.redirectsOutbound()) {
            return networking == null ? List.of() : networking.outbound();
        }
        Key key = new Key(networking.outbound(), networking.transparentProxying().reachableServices());
        Resolved resolved = proxy.mesh().shared().computeIfAbsent(key, () -> resolve(proxy.mesh().vips(), key));
        List<InboundInterface> inbounds = networking.inboundInterfaces();
        List<DataplaneSpec.Outbound> all = resolved.outbounds();
        for (int i = resolved.writtenCount(); i < all.size(); i++) {
            if (usedByInbound(inbounds, all.get(i))) {
                return withoutUsed(resolved, inbounds);
            }
        }
        return all;
    }

    private static Resolved resolve(MeshVips vips, Key key) {
        Set<String> addresses = vips.addresses();
        List<DataplaneSpec.Outbound> outbounds = new ArrayList<>();
        for (DataplaneSpec.Outbound outbound : key.written()) {
            if (!addresses.contains(outbound.address())) {
                outbounds.add(outbound);
            }
        }
        int writtenCount = outbounds.size();
        Set<String> reachable = new HashSet<>(key.reachableServices());
        for (MeshVips.Outbound vip : vips.outbounds()) {
            if (!reachable.isEmpty() && !reachable.contains(vip.service())) {
                continue;
            }
            outbounds.add(new DataplaneSpec.Outbound(vip.address(), vip.port(), "", vip.tags()));
        }
        return new Resolved(List.copyOf(outbounds), writtenCount);
    }

    /** The resolved list without the VIP outbounds an inbound of the proxy uses. */
    private static List<DataplaneSpec.Outbound> withoutUsed(Resolved resolved, List<InboundInterface> inbounds) {
        List<DataplaneSpec.Outbound> all = resolved.outbounds();
        List<DataplaneSpec.Outbound> kept = new ArrayList<>(all.subList(0, resolved.writtenCount()));
        for (DataplaneSpec.Outbound vip : all.subList(resolved.writtenCount(), all.size())) {
            if (!usedByInbound(inbounds, vip)) {
                kept.add(vip);
            }
        }
        return List.copyOf(kept);
    }

    private static boolean usedByInbound(List<InboundInterface> inbounds, DataplaneSpec.Outbound vip) {
        for (InboundInterface inbound : inbounds) {
            if (uses(inbound, vip.address(), vip.port())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the inbound listens on, or forwards to, {@code address:port} (Kuma's {@code UsesInboundInterface}). */
    private static boolean uses(InboundInterface inbound, String address, int port) {
        return inbound.dataplaneIp().equals(address) && inbound.dataplanePort() == port
                || inbound.workloadIp().equals(address) && inbound.workloadPort() == port;
    }
}
