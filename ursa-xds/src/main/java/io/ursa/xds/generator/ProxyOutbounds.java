package io.ursa.xds.generator;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
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
 */
final class ProxyOutbounds {
    private ProxyOutbounds() {
    }

    /** The outbounds of {@code proxy}; the Dataplane's own list, unchanged, without transparent proxying. */
    static List<DataplaneSpec.Outbound> of(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null || !networking.redirectsOutbound()) {
            return networking == null ? List.of() : networking.outbound();
        }
        MeshVips vips = proxy.mesh().vips();
        Set<String> addresses = vips.addresses();
        List<DataplaneSpec.Outbound> outbounds = new ArrayList<>();
        for (DataplaneSpec.Outbound outbound : networking.outbound()) {
            if (!addresses.contains(outbound.address())) {
                outbounds.add(outbound);
            }
        }
        Set<String> reachable = new HashSet<>(networking.transparentProxying().reachableServices());
        List<InboundInterface> inbounds = networking.inboundInterfaces();
        for (MeshVips.Outbound vip : vips.outbounds()) {
            if (!reachable.isEmpty() && !reachable.contains(vip.service())) {
                continue;
            }
            if (inbounds.stream().anyMatch(in -> uses(in, vip.address(), vip.port()))) {
                continue;
            }
            outbounds.add(new DataplaneSpec.Outbound(vip.address(), vip.port(), "", vip.tags()));
        }
        return outbounds;
    }

    /** Whether the inbound listens on, or forwards to, {@code address:port} (Kuma's {@code UsesInboundInterface}). */
    private static boolean uses(InboundInterface inbound, String address, int port) {
        return inbound.dataplaneIp().equals(address) && inbound.dataplanePort() == port
                || inbound.workloadIp().equals(address) && inbound.workloadPort() == port;
    }
}
