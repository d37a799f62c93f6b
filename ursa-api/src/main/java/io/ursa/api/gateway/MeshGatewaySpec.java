package io.ursa.api.gateway;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.DataSource;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoEnumZero;
import io.ursa.api.spec.ProtoEnums;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.TagMaps;
import java.util.List;
import java.util.Map;

/**
 * Spec of a MeshGateway ({@code api/mesh/v1alpha1/gateway.proto}): the listeners of the builtin gateway proxies
 * its {@code selectors} match. {@code tags} are added to every listener's tags; MeshGatewayRoutes attach to
 * listeners by those tags. {@code crossMesh} and {@code connectionLimit} are also read as {@code cross_mesh} and
 * {@code connection_limit}, as Kuma's protobuf JSON reader does.
 */
public record MeshGatewaySpec(List<Selector> selectors, Map<String, String> tags, Conf conf) implements Spec {
    /** An empty hostname is the same as this one: every host. */
    public static final String WILDCARD_HOSTNAME = "*";

    public MeshGatewaySpec {
        selectors = Lists.copyOf(selectors);
        tags = TagMaps.copyOf(tags);
    }

    /** True when any listener is reachable from other meshes (Kuma's {@code IsCrossMesh}). */
    @JsonIgnore
    public boolean isCrossMesh() {
        return conf != null && conf.listeners().stream().anyMatch(Listener::crossMesh);
    }

    /** The listeners, at least one in a valid gateway. */
    public record Conf(List<Listener> listeners) {
        public Conf {
            listeners = Lists.copyOf(listeners);
        }
    }

    /**
     * One port and hostname of the gateway. An empty {@code hostname} means {@value #WILDCARD_HOSTNAME}; a
     * {@code crossMesh} listener is reachable from proxies of other meshes with mTLS on.
     */
    public record Listener(
            String hostname,
            int port,
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) Protocol protocol,
            Tls tls,
            Map<String, String> tags,
            @JsonAlias("cross_mesh") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean crossMesh,
            Resources resources) {

        public Listener {
            hostname = ProtoFields.text(hostname);
            port = ProtoFields.unsigned("port", port);
            protocol = protocol == null ? Protocol.NONE : protocol;
            tags = TagMaps.copyOf(tags);
        }

        /**
         * The name proxies of other meshes reach this listener by when it is {@code crossMesh} (Kuma's
         * {@code addFromMeshGateway}): its hostname, or {@code internal.<gateway>.<mesh>.mesh} when the hostname is
         * empty or has a wildcard ({@code mesh} being Kuma's default DNS suffix).
         */
        public String crossMeshHostname(String gateway, String mesh) {
            return hostname.isEmpty() || hostname.contains("*") ? "internal." + gateway + "." + mesh + ".mesh"
                    : hostname;
        }

        /** The hostname, {@value #WILDCARD_HOSTNAME} when empty. */
        @JsonIgnore
        public String effectiveHostname() {
            return hostname.isEmpty() ? WILDCARD_HOSTNAME : hostname;
        }

        /** The connection limit, 0 when none is set. */
        @JsonIgnore
        public long connectionLimit() {
            return resources == null ? 0 : resources.connectionLimit();
        }
    }

    /** In proto number order: {@code NONE} is 0. */
    public enum Protocol {
        NONE,
        TCP,
        UDP,
        TLS,
        HTTP,
        HTTPS;

        @JsonCreator
        static Protocol fromJson(JsonNode value) {
            return ProtoEnums.parse(Protocol.class, value);
        }
    }

    /** Limits of a listener; {@code connectionLimit} 0 means unlimited. */
    public record Resources(
            @JsonAlias("connection_limit") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long connectionLimit) {
        public Resources {
            connectionLimit = ProtoFields.unsigned("connectionLimit", connectionLimit);
        }
    }

    /** TLS of a listener: terminated with one or two certificates (RSA and/or ECDSA), or passed through. */
    public record Tls(
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) TlsMode mode,
            List<DataSource> certificates,
            TlsOptions options) {
        public Tls {
            mode = mode == null ? TlsMode.NONE : mode;
            certificates = Lists.copyOf(certificates);
        }
    }

    /** In proto number order: {@code NONE} is 0. */
    public enum TlsMode {
        NONE,
        TERMINATE,
        PASSTHROUGH;

        @JsonCreator
        static TlsMode fromJson(JsonNode value) {
            return ProtoEnums.parse(TlsMode.class, value);
        }
    }

    /** Kuma 2.0's {@code TLS.Options} has no fields yet. */
    public record TlsOptions() {
    }
}
