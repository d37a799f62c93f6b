package io.ursa.api.dataplane;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.mesh.Metrics;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.ProtoEnumZero;
import io.ursa.api.spec.ProtoEnums;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.TagMaps;
import io.ursa.api.spec.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Spec of a Dataplane ({@code api/mesh/v1alpha1/dataplane.proto}): a sidecar or gateway proxy and what it
 * serves. Absent sections are null; {@code networking} must be present to be valid. {@code metrics} overrides the
 * Mesh's enabled metrics backend for this proxy (same shape as a Mesh backend).
 */
public record DataplaneSpec(Networking networking, Metrics.Backend metrics, Probes probes) implements Spec {

    /** Where the proxy listens and what it serves and consumes. */
    public record Networking(
            String address,
            String advertisedAddress,
            Gateway gateway,
            List<Inbound> inbound,
            List<Outbound> outbound,
            TransparentProxying transparentProxying,
            Admin admin) {

        public Networking {
            address = ProtoFields.text(address);
            advertisedAddress = ProtoFields.text(advertisedAddress);
            inbound = Lists.copyOf(inbound);
            outbound = Lists.copyOf(outbound);
        }

        /** The address other proxies connect to: {@code advertisedAddress} when set, else {@code address}. */
        public String ip() {
            return advertisedAddress.isEmpty() ? address : advertisedAddress;
        }

        /**
         * Whether the proxy's outbound traffic is redirected to it ({@code transparentProxying.redirectPortOutbound}
         * set): Kuma's condition for the catch-all listeners, VIP outbounds, {@code bindToPort: false} on outbounds
         * and the DNS listener.
         */
        public boolean redirectsOutbound() {
            return transparentProxying != null && transparentProxying.redirectPortOutbound() != 0;
        }

        /**
         * Whether both its inbound and outbound traffic are redirected to it (both {@code redirectPortInbound} and
         * {@code redirectPortOutbound} set): Kuma's condition for {@code bindToPort: false} on inbound listeners and
         * local clusters bound to {@code 127.0.0.6}.
         */
        public boolean redirectsInboundAndOutbound() {
            return redirectsOutbound() && transparentProxying.redirectPortInbound() != 0;
        }

        /** The listener and application address/port of every inbound, with Kuma's defaults applied. */
        public List<InboundInterface> inboundInterfaces() {
            return inbound.stream().map(this::toInterface).toList();
        }

        /** The listener address/port of every outbound ({@code 127.0.0.1} unless set). */
        public List<OutboundInterface> outboundInterfaces() {
            return outbound.stream().map(o -> new OutboundInterface(
                    o.address().isEmpty() ? OutboundInterface.DEFAULT_ADDRESS : o.address(), o.port())).toList();
        }

        private InboundInterface toInterface(Inbound in) {
            String dataplaneIp = in.address().isEmpty() ? address : in.address();
            String advertisedIp = advertisedAddress.isEmpty() ? dataplaneIp : advertisedAddress;
            String workloadIp = in.serviceAddress().isEmpty() ? dataplaneIp : in.serviceAddress();
            int workloadPort = in.servicePort() == 0 ? in.port() : in.servicePort();
            return new InboundInterface(dataplaneIp, advertisedIp, in.port(), workloadIp, workloadPort);
        }
    }

    /** A service this proxy serves: traffic to {@code address:port} goes to {@code serviceAddress:servicePort}. */
    public record Inbound(
            int port,
            int servicePort,
            String serviceAddress,
            String address,
            Map<String, String> tags,
            Health health,
            ServiceProbe serviceProbe) {

        public Inbound {
            port = ProtoFields.unsigned("port", port);
            servicePort = ProtoFields.unsigned("servicePort", servicePort);
            serviceAddress = ProtoFields.text(serviceAddress);
            address = ProtoFields.text(address);
            tags = TagMaps.copyOf(tags);
        }

        /** The {@code kuma.io/service} tag, empty when missing. */
        public String service() {
            return tags.getOrDefault(Tags.SERVICE, "");
        }
    }

    /** Readiness of an inbound, maintained by the control plane or Kubernetes. */
    public record Health(boolean ready) {
    }

    /** An active TCP health check of an inbound's application, run by the control plane. */
    public record ServiceProbe(
            ProtoDuration interval,
            ProtoDuration timeout,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer unhealthyThreshold,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer healthyThreshold,
            Tcp tcp) {

        public ServiceProbe {
            unhealthyThreshold = ProtoFields.unsigned("unhealthyThreshold", unhealthyThreshold);
            healthyThreshold = ProtoFields.unsigned("healthyThreshold", healthyThreshold);
        }
    }

    /** Marker: the probe is a TCP connect. */
    public record Tcp() {
    }

    /** A service this proxy consumes without transparent proxying. {@code service} is the legacy form. */
    public record Outbound(String address, int port, String service, Map<String, String> tags) {
        public Outbound {
            address = ProtoFields.text(address);
            port = ProtoFields.unsigned("port", port);
            service = ProtoFields.text(service);
            tags = TagMaps.copyOf(tags);
        }
    }

    /** The proxy is a gateway rather than a sidecar. */
    public record Gateway(
            Map<String, String> tags,
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) GatewayType type) {

        public Gateway {
            tags = TagMaps.copyOf(tags);
            type = type == null ? GatewayType.DELEGATED : type;
        }
    }

    /** In proto number order: {@code DELEGATED} is 0, the default. */
    public enum GatewayType {
        /** A third-party gateway (e.g. Kong) with a Kuma sidecar. */
        DELEGATED,
        /** Kuma's own gateway, configured by MeshGateway resources. */
        BUILTIN;

        @JsonCreator
        static GatewayType fromJson(JsonNode value) {
            return ProtoEnums.parse(GatewayType.class, value);
        }
    }

    /** The iptables redirection set up next to the proxy. */
    public record TransparentProxying(
            int redirectPortInbound,
            int redirectPortOutbound,
            List<String> directAccessServices,
            int redirectPortInboundV6,
            List<String> reachableServices) {

        public TransparentProxying {
            redirectPortInbound = ProtoFields.unsigned("redirectPortInbound", redirectPortInbound);
            redirectPortOutbound = ProtoFields.unsigned("redirectPortOutbound", redirectPortOutbound);
            directAccessServices = Lists.copyOf(directAccessServices);
            redirectPortInboundV6 = ProtoFields.unsigned("redirectPortInboundV6", redirectPortInboundV6);
            reachableServices = Lists.copyOf(reachableServices);
        }
    }

    /** Envoy's admin listener ({@code EnvoyAdmin}). */
    public record Admin(int port) {
        public Admin {
            port = ProtoFields.unsigned("port", port);
        }
    }

    /** Kubernetes virtual probes: the proxy answers the kubelet's HTTP probes on the application's behalf. */
    public record Probes(int port, List<Endpoint> endpoints) {
        public Probes {
            port = ProtoFields.unsigned("port", port);
            endpoints = Lists.copyOf(endpoints);
        }
    }

    /** One virtual probe: {@code path} on the probe port maps to {@code inboundPath} on {@code inboundPort}. */
    public record Endpoint(int inboundPort, String inboundPath, String path) {
        public Endpoint {
            inboundPort = ProtoFields.unsigned("inboundPort", inboundPort);
            inboundPath = ProtoFields.text(inboundPath);
            path = ProtoFields.text(path);
        }
    }

    /** Whether this proxy is a gateway of the given type. */
    public boolean hasGateway(GatewayType type) {
        return networking != null && networking.gateway() != null && networking.gateway().type() == type;
    }

    /**
     * The tag sets the Mesh's {@code constraints.dataplaneProxy} rules apply to: the tags of each inbound, then
     * the gateway's tags (Kuma's {@code SingleValueTagSets}).
     */
    public List<Map<String, String>> tagSets() {
        if (networking != null && networking.gateway() == null && networking.inbound().size() == 1) {
            return List.of(networking.inbound().get(0).tags()); // the usual sidecar; policy matching asks often
        }
        List<Map<String, String>> sets = new ArrayList<>();
        if (networking != null) {
            networking.inbound().forEach(in -> sets.add(in.tags()));
            if (networking.gateway() != null) {
                sets.add(networking.gateway().tags());
            }
        }
        return List.copyOf(sets);
    }

    /** The distinct {@code kuma.io/service} values of all tag sets, sorted. */
    public List<String> services() {
        TreeSet<String> services = new TreeSet<>();
        for (Map<String, String> tags : tagSets()) {
            String service = tags.get(Tags.SERVICE);
            if (service != null) {
                services.add(service);
            }
        }
        return List.copyOf(services);
    }
}
