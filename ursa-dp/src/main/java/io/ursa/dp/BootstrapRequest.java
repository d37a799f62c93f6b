package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /bootstrap} (Kuma's {@code BootstrapRequest}, spec §10.2), with its fields in Kuma's
 * order and Kuma's omissions: the token, token path and resource are left out when empty; {@code dataplaneResource}
 * is the Universal JSON of the definition as a string. {@code dnsPort} and {@code emptyDnsPort} (Envoy's DNS filter
 * port and its fallback) are sent when DNS is enabled and the proxy is a sidecar (not a zone egress): the control plane then generates the {@code kuma:dns}
 * listener for a transparent proxy. (kuma-dp 2.0 sends them even with {@code --dns-enabled=false}; without a DNS
 * server that listener serves nobody, so ursa-dp leaves them out.) No features are sent.
 *
 * <p>{@code controlPlaneAddresses} is Ursa's own field, sent only when the agent was given several control-plane
 * instances: the origin ({@code https://host:port}) of each, so that the bootstrap's {@code ads_cluster} lists them
 * all. {@code xdsProtocol} is Ursa's too. A control plane that does not know these fields ignores them (Kuma's
 * decoder ignores unknown fields too).
 *
 * @param dnsPorts              the Envoy DNS port and the empty DNS port, when DNS is enabled for a sidecar
 * @param controlPlaneAddresses every control-plane instance the agent was given, when more than one
 * @param xdsProtocol           Ursa's own field, sent only when {@code --xds-protocol} is given: the ADS variant
 *                              ({@code delta} or {@code sotw}) the bootstrap should give Envoy
 */
record BootstrapRequest(String mesh, String name, ProxyType proxyType, Optional<String> token,
                        Optional<String> tokenPath, Optional<String> dataplaneResource, BuildInfo build,
                        EnvoyVersion envoy, String caCert, String operatingSystem, long maxHeapSizeBytes,
                        Optional<DnsPorts> dnsPorts, List<String> controlPlaneAddresses,
                        Optional<String> xdsProtocol) {
    /** {@code dnsPort} (Envoy's DNS filter) and {@code emptyDnsPort}. */
    record DnsPorts(int envoy, int empty) {
    }

    BootstrapRequest {
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(proxyType, "proxyType");
        requireNonNull(token, "token");
        requireNonNull(tokenPath, "tokenPath");
        requireNonNull(dataplaneResource, "dataplaneResource");
        requireNonNull(build, "build");
        requireNonNull(envoy, "envoy");
        requireNonNull(caCert, "caCert");
        requireNonNull(operatingSystem, "operatingSystem");
        requireNonNull(dnsPorts, "dnsPorts");
        controlPlaneAddresses = List.copyOf(requireNonNull(controlPlaneAddresses, "controlPlaneAddresses"));
        requireNonNull(xdsProtocol, "xdsProtocol");
    }

    /** A request without the list of control-plane instances (the agent was given one). */
    BootstrapRequest(String mesh, String name, ProxyType proxyType, Optional<String> token,
                     Optional<String> tokenPath, Optional<String> dataplaneResource, BuildInfo build,
                     EnvoyVersion envoy, String caCert, String operatingSystem, long maxHeapSizeBytes,
                     Optional<DnsPorts> dnsPorts) {
        this(mesh, name, proxyType, token, tokenPath, dataplaneResource, build, envoy, caCert, operatingSystem,
                maxHeapSizeBytes, dnsPorts, List.of(), Optional.empty());
    }

    /** This request naming every control-plane instance (sent only when there are several). */
    BootstrapRequest withControlPlaneAddresses(List<String> origins) {
        return new BootstrapRequest(mesh, name, proxyType, token, tokenPath, dataplaneResource, build, envoy, caCert,
                operatingSystem, maxHeapSizeBytes, dnsPorts, origins.size() > 1 ? origins : List.of(), xdsProtocol);
    }

    /** This request asking for the ADS variant {@code protocol} ({@code delta} or {@code sotw}), if given. */
    BootstrapRequest withXdsProtocol(Optional<String> protocol) {
        return new BootstrapRequest(mesh, name, proxyType, token, tokenPath, dataplaneResource, build, envoy, caCert,
                operatingSystem, maxHeapSizeBytes, dnsPorts, controlPlaneAddresses, protocol);
    }

    /** This request with {@code caCert}: the CA that verifies the control plane, PEM ("" over plaintext). */
    BootstrapRequest withCaCert(String caCert) {
        return new BootstrapRequest(mesh, name, proxyType, token, tokenPath, dataplaneResource, build, envoy, caCert,
                operatingSystem, maxHeapSizeBytes, dnsPorts, controlPlaneAddresses, xdsProtocol);
    }

    ObjectNode toJson() {
        ObjectNode body = Json.json().createObjectNode();
        body.put("mesh", mesh);
        body.put("name", name);
        body.put("proxyType", proxyType.wireName());
        token.ifPresent(t -> body.put("dataplaneToken", t));
        tokenPath.ifPresent(p -> body.put("dataplaneTokenPath", p));
        dataplaneResource.ifPresent(r -> body.put("dataplaneResource", r));
        ObjectNode version = body.putObject("version");
        version.putObject("kumaDp")
                .put("version", build.version())
                .put("gitTag", build.gitTag())
                .put("gitCommit", build.gitCommit())
                .put("buildDate", build.buildDate());
        version.putObject("envoy")
                .put("version", envoy.version())
                .put("build", envoy.build())
                .put("kumaDpCompatible", envoy.compatible());
        body.put("caCert", caCert);
        body.putObject("dynamicMetadata");
        dnsPorts.ifPresent(ports -> body.put("dnsPort", ports.envoy()).put("emptyDnsPort", ports.empty()));
        body.put("operatingSystem", operatingSystem);
        body.putArray("features");
        body.putObject("resources").put("maxHeapSizeBytes", maxHeapSizeBytes);
        if (!controlPlaneAddresses.isEmpty()) {
            controlPlaneAddresses.forEach(body.putArray("controlPlaneAddresses")::add);
        }
        xdsProtocol.ifPresent(protocol -> body.put("xdsProtocol", protocol));
        return body;
    }
}
