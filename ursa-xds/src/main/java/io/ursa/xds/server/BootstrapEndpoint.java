package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.grpc.Status;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.NameRules;
import io.ursa.api.validation.ValidationException;
import io.ursa.api.validation.Violations;
import io.ursa.core.manager.ResourceManager;
import io.ursa.xds.bootstrap.AdsProtocol;
import io.ursa.xds.bootstrap.BootstrapParams;
import io.ursa.xds.bootstrap.BootstrapRequest;
import io.ursa.xds.bootstrap.BootstrapResponse;
import io.ursa.xds.bootstrap.EnvoyBootstrapGenerator;
import io.ursa.xds.generator.PrometheusEndpointGenerator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /bootstrap} (spec §10.2): checks the request and the Dataplane it brings or names, and answers the
 * Envoy bootstrap, as JSON ({@code {"bootstrap": base64 YAML, "kumaSidecarConfiguration": ...}}) or, for a client
 * that does not accept JSON, as raw YAML. Client mistakes are 4xx with Kuma's texts: 422 when the token is
 * required but missing or the Dataplane is invalid or in an unknown mesh, 404 with an empty body when the named
 * Dataplane does not exist yet (the agent retries), 400 for a malformed request.
 *
 * <p>Over TLS the bootstrap's {@code ads_cluster} is TLS too and trusts the DP server's CA (or the request's
 * {@code caCert}), checking that the certificate names the xDS host. So, as Kuma does (spec §10.2 item 2), unless
 * {@code bootstrapServer.params.xdsHost} is set, a request sent to a host that the certificate does not name gets
 * 400 with the names it has and the ways out, instead of a bootstrap with which Envoy could never connect.
 */
final class BootstrapEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(BootstrapEndpoint.class);
    static final String PATH = "/bootstrap";
    static final String TOKEN_REQUIRED = "Dataplane Token is required. Generate token using 'ursactl generate"
            + " dataplane-token > /path/file' and provide it via --dataplane-token-file=/path/file argument to"
            + " ursa-dp";
    /** Go's text for an unknown path, which the agent reads as "wrong port" (spec §10.2). */
    static final String NOT_FOUND_TEXT = "404 page not found";

    private final ResourceManager manager;
    private final ResourceCodec codec;
    private final Optional<String> xdsHost;
    private final IntSupplier xdsPort;
    private final XdsServerConfig.Auth auth;
    private final int defaultAdminPort;
    private final AdsProtocol adsProtocol;
    private final DataplaneLifecycle lifecycle;
    private final DpTransport transport;

    /**
     * @param xdsHost   the host Envoy dials for ADS; when empty, the host the request was sent to
     * @param xdsPort   the DP server port Envoy dials (known once the server is bound)
     * @param adsProtocol the ADS variant of a bootstrap whose request does not ask for one
     * @param transport how the DP server is reached: over TLS the bootstraps trust its CA
     */
    BootstrapEndpoint(ResourceManager manager, ResourceCodec codec, DataplaneLifecycle lifecycle,
                      Optional<String> xdsHost, IntSupplier xdsPort, XdsServerConfig.Auth auth, int defaultAdminPort,
                      AdsProtocol adsProtocol, DpTransport transport) {
        this.manager = requireNonNull(manager, "manager");
        this.codec = requireNonNull(codec, "codec");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle");
        this.xdsHost = requireNonNull(xdsHost, "xdsHost");
        this.xdsPort = requireNonNull(xdsPort, "xdsPort");
        this.auth = requireNonNull(auth, "auth");
        this.defaultAdminPort = defaultAdminPort;
        this.adsProtocol = requireNonNull(adsProtocol, "adsProtocol");
        this.transport = requireNonNull(transport, "transport");
    }

    @Override
    public HttpAnswer handle(HttpCall call) {
        if (!call.path().equals(PATH)) {
            return HttpAnswer.text(404, NOT_FOUND_TEXT);
        }
        if (!call.method().equals("POST")) {
            return HttpAnswer.text(405, "method " + call.method() + " is not allowed on " + PATH
                    + " (expected: POST)");
        }
        BootstrapRequest request;
        try {
            request = BootstrapRequest.parse(call.body());
        } catch (ValidationException e) {
            return HttpAnswer.text(400, e.getMessage());
        }
        if (auth == XdsServerConfig.Auth.DP_TOKEN && request.dataplaneToken().isEmpty() && request.dataplaneTokenPath().isEmpty()) {
            return HttpAnswer.text(422, TOKEN_REQUIRED);
        }
        String host = xdsHost.orElseGet(() -> hostOf(call.header("host").orElse("")));
        if (host.isEmpty()) {
            return HttpAnswer.text(400, "the request has no Host header, and bootstrapServer.params.xdsHost is not"
                    + " set (expected: one of them, so Envoy knows where the DP server is)");
        }
        if (xdsHost.isEmpty() && transport instanceof DpTransport.Tls tls && !tls.certificate().certifies(host)) {
            return HttpAnswer.text(400, sanMismatch(host, tls.certificate().subjectAltNames()));
        }
        if (request.proxyType() == BootstrapRequest.ProxyType.INGRESS) {
            return HttpAnswer.text(422, "zone ingress proxies are not supported: this control plane runs one zone"
                    + " (expected: --proxy-type dataplane or egress)");
        }
        String serverCa = transport instanceof DpTransport.Tls tls ? tls.certificate().caCertificatePem() : "";
        if (request.proxyType() == BootstrapRequest.ProxyType.EGRESS) {
            return zoneEgress(call, request, host, serverCa);
        }
        Violations names = new Violations();
        NameRules.validate(ResourceTypes.DATAPLANE, request.mesh(), request.name(), names);
        if (!names.isEmpty()) {
            return HttpAnswer.text(422, names.toString());
        }
        ProxyKey key = new ProxyKey(request.mesh(), request.name());
        Resource<DataplaneSpec> dataplane;
        try {
            dataplane = lifecycle.resolve(key, request.dataplaneResource());
        } catch (ProxyRefusedException e) {
            if (e.status().getCode() == Status.Code.NOT_FOUND && request.dataplaneResource().isEmpty()
                    && manager.get(ResourceTypes.MESH, "", key.mesh()).isPresent()) {
                return HttpAnswer.text(404, ""); // not registered yet: the agent retries
            }
            return HttpAnswer.text(422, e.getMessage());
        }
        if (request.dataplaneResource().isPresent()) {
            Violations violations = new Violations();
            ResourceTypes.DATAPLANE.validator().validate(
                    ResourceTypes.DATAPLANE.applyDefaults(dataplane.spec()), violations);
            if (!violations.isEmpty()) {
                return HttpAnswer.text(422, "Dataplane " + key + " is not valid: "
                        + violations.toString());
            }
        }
        return answer(call, request, key, host, generator(host, serverCa, request)::generate, dataplane,
                bootstrap -> new BootstrapResponse(bootstrap,
                        EnvoyBootstrapGenerator.usesTransparentProxy(dataplane.spec()), aggregates(dataplane)));
    }

    /**
     * The generator for a bootstrap whose {@code ads_cluster} dials {@code host}, and the other control-plane
     * instances the agent was given; with {@code bootstrapServer.params.xdsHost} set, that host alone (the operator
     * said where Envoy dials, e.g. a name that resolves to every instance).
     */
    private EnvoyBootstrapGenerator generator(String host, String serverCa, BootstrapRequest request) {
        BootstrapParams params = BootstrapParams.of(host, xdsPort.getAsInt(), serverCa)
                .withDefaultAdminPort(defaultAdminPort).withAdsProtocol(adsProtocol);
        if (xdsHost.isEmpty()) {
            params = params.withControlPlaneAddresses(request.controlPlaneAddresses());
        }
        return new EnvoyBootstrapGenerator(params);
    }

    /** The bootstrap {@code generate} makes for {@code proxy}, as YAML or, when asked for, as JSON. */
    private <P> HttpAnswer answer(HttpCall call, BootstrapRequest request, ProxyKey key, String host,
                                  java.util.function.BiFunction<BootstrapRequest, P, Bootstrap> generate, P proxy,
                                  java.util.function.Function<Bootstrap, BootstrapResponse> json) {
        Bootstrap bootstrap;
        try {
            bootstrap = generate.apply(request, proxy);
        } catch (IllegalArgumentException e) {
            return HttpAnswer.text(422, e.getMessage());
        }
        log.info("bootstrap for {} (Envoy {}, ADS at {}:{}{})", key, request.version().envoy().version(), host,
                xdsPort.getAsInt(), xdsHost.isEmpty() && !request.controlPlaneAddresses().isEmpty()
                        ? " and the other instances the agent named: " + request.controlPlaneAddresses() : "");
        boolean wantsJson = call.header("accept").map(a -> a.toLowerCase(Locale.ROOT).contains("json"))
                .orElse(false);
        if (!wantsJson) {
            return new HttpAnswer(200, "text/x-yaml", BootstrapResponse.yaml(bootstrap));
        }
        return HttpAnswer.json(200, json.apply(bootstrap).toJson());
    }

    /** The bootstrap of a zone egress proxy: its ZoneEgress, sent or stored, checked as the DP server will. */
    private HttpAnswer zoneEgress(HttpCall call, BootstrapRequest request, String host, String serverCa) {
        ProxyKey key = new ProxyKey("", request.name());
        Resource<ZoneEgressSpec> zoneEgress;
        try {
            zoneEgress = lifecycle.resolveZoneEgress(key, request.dataplaneResource());
        } catch (ProxyRefusedException e) {
            if (e.status().getCode() == Status.Code.NOT_FOUND && request.dataplaneResource().isEmpty()) {
                return HttpAnswer.text(404, ""); // not registered yet: the agent retries
            }
            return HttpAnswer.text(422, e.getMessage());
        }
        Violations violations = new Violations();
        ResourceTypes.ZONE_EGRESS.validator().validate(zoneEgress.spec(), violations);
        if (!violations.isEmpty()) {
            return HttpAnswer.text(422, "ZoneEgress " + zoneEgress.name() + " is not valid: " + violations);
        }
        return answer(call, request, key, host, generator(host, serverCa, request)::generateZoneEgress, zoneEgress,
                bootstrap -> new BootstrapResponse(bootstrap, false, List.of()));
    }

    /**
     * The application metrics endpoints the agent merges into the proxy's (Kuma's {@code kumaSidecarConfiguration
     * .metrics.aggregate}), each on the Dataplane's address; none when its mesh has no Prometheus backend.
     */
    private List<BootstrapResponse.MetricsAggregate> aggregates(Resource<DataplaneSpec> dataplane) {
        Optional<Resource<MeshSpec>> mesh = manager.get(ResourceTypes.MESH, "", dataplane.mesh());
        if (mesh.isEmpty() || dataplane.spec().networking() == null) {
            return List.of();
        }
        String address = dataplane.spec().networking().address();
        return PrometheusEndpointGenerator.enabledAggregates(mesh.get().spec(), dataplane.spec()).stream()
                .filter(a -> a.port() >= 1 && a.port() <= 65535) // validation refuses others
                .map(a -> new BootstrapResponse.MetricsAggregate(a.name(), address, (int) a.port(), a.path()))
                .toList();
    }

    /** Kuma's SAN mismatch explanation, with Ursa's two settings. */
    static String sanMismatch(String host, List<String> subjectAltNames) {
        return "a data plane proxy is trying to connect to the control plane using \"" + host + "\", but the"
                + " control plane's certificate is not valid for that name; its subject alternative names are "
                + subjectAltNames + ". Envoy would refuse to connect to the DP server. Use one of those names in"
                + " --cp-address, or: 1) add \"" + host + "\" to the certificate: list it in"
                + " URSA_GENERAL_TLS_SUBJECT_ALT_NAMES and restart the control plane (with a supplied certificate,"
                + " supply one that names it); or 2) set URSA_BOOTSTRAP_SERVER_PARAMS_XDS_HOST to a name the"
                + " certificate has, which Envoy then dials";
    }

    /** The host part of a Host header: {@code cp.example:5678} → {@code cp.example}, {@code [::1]:5678} → {@code ::1}. */
    static String hostOf(String hostHeader) {
        String value = hostHeader.strip();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end > 0 ? value.substring(1, end) : value;
        }
        int colon = value.lastIndexOf(':');
        return colon > 0 && value.indexOf(':') == colon ? value.substring(0, colon) : value;
    }
}
