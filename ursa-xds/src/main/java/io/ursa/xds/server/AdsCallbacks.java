package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.Resource;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.resources.EnvoyType;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ADS stream callbacks, for both variants of the protocol (state of the world and incremental, "delta"): on a
 * stream's first request, identify the proxy from its node, authenticate it,
 * register its Dataplane, record in the cluster's shared record that it is connected here, and ask the reconciler
 * for its configuration; then count responses, ACKs and NACKs for its insight; on close, record that it left (the
 * leader deregisters what it registered after the delay). A proxy that cannot be served gets its stream closed
 * with a status that says why (the same text is logged), and no configuration.
 */
final class AdsCallbacks implements DiscoveryServerCallbacks {
    private static final Logger log = LoggerFactory.getLogger(AdsCallbacks.class);

    /** Node metadata (Envoy bootstrap §1.3 and the gRPC bootstrap) that Ursa reads. */
    static final String DATAPLANE_RESOURCE = "dataplane.resource";
    static final String ADMIN_PORT = "dataplane.admin.port";
    static final String ADMIN_ADDRESS = "dataplane.admin.address";
    static final String DNS_PORT = "dataplane.dns.port";
    static final String EMPTY_DNS_PORT = "dataplane.dns.empty.port";
    static final String TOKEN = "dataplane.token";

    private final ProxyRegistry registry;
    private final DataplaneLifecycle lifecycle;
    private final ProxyAuthenticator authenticator;
    private final Reconciler reconciler;
    private final String instanceId;
    private final Clock clock;

    AdsCallbacks(ProxyRegistry registry, DataplaneLifecycle lifecycle, ProxyAuthenticator authenticator,
                 Reconciler reconciler, String instanceId, Clock clock) {
        this.registry = requireNonNull(registry, "registry");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle");
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.reconciler = requireNonNull(reconciler, "reconciler");
        this.instanceId = requireNonNull(instanceId, "instanceId");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
        Optional<Subscription> subscription = registry.byStream(streamId);
        if (subscription.isEmpty()) {
            subscription = Optional.of(open(streamId, request.getNode(), Subscription.Protocol.SOTW));
        }
        recordAcknowledgement(subscription.get(), request);
    }

    /**
     * An incremental request: the same identification on the first one. An answer names the response it answers
     * by nonce only, so the version it acknowledges or rejects is the one that response carried.
     */
    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
        Optional<Subscription> subscription = registry.byStream(streamId);
        if (subscription.isEmpty()) {
            subscription = Optional.of(open(streamId, request.getNode(), Subscription.Protocol.DELTA));
        }
        if (request.getResponseNonce().isEmpty()) {
            return; // a (re)subscription, not an answer to a response
        }
        Optional<EnvoyType> type = EnvoyType.ofTypeUrl(request.getTypeUrl());
        Optional<String> version = subscription.get().answered(request.getResponseNonce());
        if (type.isEmpty() || version.isEmpty()) {
            return;
        }
        if (request.hasErrorDetail()) {
            rejected(subscription.get(), type.get(), version.get(), request.getErrorDetail().getMessage());
        } else {
            acknowledged(subscription.get(), type.get(), version.get());
        }
    }

    private Subscription open(long streamId, Node node, Subscription.Protocol protocol) throws RequestException {
        try {
            if (node.getId().isEmpty()) {
                throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, "the first request of the stream"
                        + " has no node id (expected: <mesh>.<dataplane name>)");
            }
            ProxyKey key;
            try {
                key = ProxyKey.parse(node.getId());
            } catch (IllegalArgumentException e) {
                throw new ProxyRefusedException(Status.Code.INVALID_ARGUMENT, e.getMessage());
            }
            Optional<String> definition = string(node.getMetadata(), DATAPLANE_RESOURCE);
            Optional<String> credential = AuthorizationHeader.current()
                    .or(() -> string(node.getMetadata(), TOKEN));
            Optional<Instant> registered = Optional.empty();
            if (key.isZoneProxy()) {
                registered = openZoneEgress(key, definition, credential);
            } else {
                Resource<DataplaneSpec> dataplane = lifecycle.resolve(key, definition);
                try {
                    authenticator.authenticate(dataplane, credential);
                } catch (ProxyAuthenticator.AuthenticationException e) {
                    throw new ProxyRefusedException(Status.Code.UNAUTHENTICATED, "proxy " + key.nodeId()
                            + " is not authenticated: " + e.getMessage());
                }
                if (metadata(node).kind() == ProxyKind.GRPC
                        && dataplane.spec().hasGateway(DataplaneSpec.GatewayType.BUILTIN)) {
                    throw new ProxyRefusedException(Status.Code.FAILED_PRECONDITION, "Dataplane " + key.nodeId()
                            + " is a builtin gateway (networking.gateway.type: BUILTIN), which only an Envoy run by"
                            + " ursa-dp run can be (expected: a proxyless gRPC application's Dataplane with"
                            + " inbounds)");
                }
                if (definition.isPresent()) {
                    registered = lifecycle.register(dataplane);
                }
            }
            Subscription subscription = new Subscription(UUID.randomUUID().toString(), streamId, key,
                    metadata(node), instanceId, clock.instant(), userAgent(node), protocol);
            boolean alone = registry.opened(subscription);
            lifecycle.connected(key, registered);
            log.info("proxy {} connected ({}, {} xDS, stream {})", key, userAgent(node), protocol.label(),
                    streamId);
            reconciler.onConnect(subscription, alone);
            return subscription;
        } catch (ProxyRefusedException e) {
            log.warn("refused proxy {}: {}", node.getId(), e.getMessage());
            throw new RequestException(e.status());
        }
    }

    /**
     * A zone egress proxy: its ZoneEgress is resolved, authenticated (a zone token) and registered; returns the
     * registration ({@link DataplaneLifecycle#register}).
     */
    private Optional<Instant> openZoneEgress(ProxyKey key, Optional<String> definition, Optional<String> credential)
            throws ProxyRefusedException {
        Resource<ZoneEgressSpec> zoneEgress = lifecycle.resolveZoneEgress(key, definition);
        try {
            authenticator.authenticateZoneEgress(zoneEgress, credential);
        } catch (ProxyAuthenticator.AuthenticationException e) {
            throw new ProxyRefusedException(Status.Code.UNAUTHENTICATED, "zone egress proxy " + key.nodeId()
                    + " is not authenticated: " + e.getMessage());
        }
        return definition.isPresent() ? lifecycle.registerZoneEgress(zoneEgress) : Optional.empty();
    }

    private void recordAcknowledgement(Subscription subscription, DiscoveryRequest request) {
        if (request.getResponseNonce().isEmpty()) {
            return; // a first subscription to the type, not an answer to a response
        }
        Optional<EnvoyType> type = EnvoyType.ofTypeUrl(request.getTypeUrl());
        if (type.isEmpty()) {
            return;
        }
        if (request.hasErrorDetail()) {
            // the version refused is the last one sent of the type (a stream answers in order); the request's
            // version is the one the proxy keeps
            rejected(subscription, type.get(), subscription.lastSentVersion(type.get()),
                    request.getErrorDetail().getMessage());
        } else {
            acknowledged(subscription, type.get(), request.getVersionInfo());
        }
    }

    /** A NACK: the proxy refused {@code version} of {@code type} and keeps what it had. */
    private void rejected(Subscription subscription, EnvoyType type, String version, String error) {
        subscription.rejected(type, version, error, clock.instant());
        log.warn("proxy {} rejected {} version \"{}\": {}", subscription.key(), type.typeUrl(), version, error);
    }

    private void acknowledged(Subscription subscription, EnvoyType type, String version) {
        subscription.acknowledged(type, version);
        reconciler.onAcknowledged(subscription, type, version);
        if (type == EnvoyType.SECRET && subscription.metadata().kind() == ProxyKind.ENVOY) {
            reconciler.onSecretsAcknowledged(subscription, version);
        }
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        registry.byStream(streamId).ifPresent(subscription -> EnvoyType.ofTypeUrl(response.getTypeUrl())
                .ifPresent(type -> subscription.responseSent(type, response.getVersionInfo(), clock.instant())));
    }

    @Override
    public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request,
                                        DeltaDiscoveryResponse response) {
        registry.byStream(streamId).ifPresent(subscription -> EnvoyType.ofTypeUrl(response.getTypeUrl())
                .ifPresent(type -> subscription.responseSent(type, response.getSystemVersionInfo(),
                        response.getNonce(), clock.instant())));
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        closed(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        closed(streamId);
    }

    private void closed(long streamId) {
        registry.closed(streamId).ifPresent(subscription -> {
            subscription.disconnected(clock.instant());
            log.info("proxy {} disconnected (stream {})", subscription.key(), streamId);
            reconciler.onDisconnect(subscription);
            lifecycle.disconnected(subscription.key());
        });
    }

    /**
     * Proxyless gRPC applications announce themselves as "gRPC <language>", and their certificate agent with
     * metadata {@code ursa.dataplane.kind: grpc}; everything else is Envoy.
     */
    static ProxyMetadata metadata(Node node) {
        if (node.getUserAgentName().startsWith("gRPC") || string(node.getMetadata(),
                GrpcBootstrap.PROXYLESS_KIND_METADATA_KEY).filter(GrpcBootstrap.PROXYLESS_KIND_GRPC::equals)
                .isPresent()) {
            return ProxyMetadata.grpc();
        }
        String adminAddress = string(node.getMetadata(), ADMIN_ADDRESS).orElse(ProxyMetadata.DEFAULT_ADMIN_ADDRESS);
        return new ProxyMetadata(ProxyKind.ENVOY, port(node, ADMIN_PORT), adminAddress, port(node, DNS_PORT),
                port(node, EMPTY_DNS_PORT));
    }

    /** The port in metadata {@code key}; empty when absent or not a port (Kuma reads such a port as 0, absent). */
    private static OptionalInt port(Node node, String key) {
        return string(node.getMetadata(), key).flatMap(AdsCallbacks::port).map(OptionalInt::of)
                .orElse(OptionalInt.empty());
    }

    private static Optional<Integer> port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String userAgent(Node node) {
        String name = node.getUserAgentName().isEmpty() ? "unknown" : node.getUserAgentName();
        String version = node.hasUserAgentBuildVersion()
                ? node.getUserAgentBuildVersion().getVersion().getMajorNumber() + "."
                        + node.getUserAgentBuildVersion().getVersion().getMinorNumber() + "."
                        + node.getUserAgentBuildVersion().getVersion().getPatch()
                : node.getUserAgentVersion();
        return version.isEmpty() ? name : name + " " + version;
    }

    private static Optional<String> string(Struct metadata, String key) {
        Value value = metadata.getFieldsMap().get(key);
        if (value == null || value.getKindCase() != Value.KindCase.STRING_VALUE || value.getStringValue().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(value.getStringValue());
    }
}
