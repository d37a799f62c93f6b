package io.ursa.xds.resources;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.ursa.xds.envoy.Protos;
import java.util.Optional;
import java.util.function.Function;

/**
 * The xDS resource types a proxy receives, in type-URL order (the order of Kuma's golden files and of
 * {@link ResourceSet#types()}).
 */
public enum EnvoyType {
    CLUSTER(Cluster.class, Cluster.getDefaultInstance(), m -> ((Cluster) m).getName()),
    CLUSTER_LOAD_ASSIGNMENT(ClusterLoadAssignment.class, ClusterLoadAssignment.getDefaultInstance(),
            m -> ((ClusterLoadAssignment) m).getClusterName()),
    LISTENER(Listener.class, Listener.getDefaultInstance(), m -> ((Listener) m).getName()),
    ROUTE_CONFIGURATION(RouteConfiguration.class, RouteConfiguration.getDefaultInstance(),
            m -> ((RouteConfiguration) m).getName()),
    SECRET(Secret.class, Secret.getDefaultInstance(), m -> ((Secret) m).getName());

    /** {@code values()} without its copy: every resource added to a set looks its type up. */
    private static final EnvoyType[] ALL = values();

    private final Class<? extends Message> messageClass;
    private final String typeUrl;
    private final Function<Message, String> name;

    EnvoyType(Class<? extends Message> messageClass, Message defaultInstance, Function<Message, String> name) {
        this.messageClass = messageClass;
        this.typeUrl = Protos.typeUrl(defaultInstance);
        this.name = name;
    }

    /** {@code type.googleapis.com/envoy.config.cluster.v3.Cluster} and so on. */
    public String typeUrl() {
        return typeUrl;
    }

    public Class<? extends Message> messageClass() {
        return messageClass;
    }

    /** The xDS name of a resource of this type. */
    public String nameOf(Message resource) {
        return name.apply(resource);
    }

    /** The type with {@code typeUrl}, or empty for a type we do not serve. */
    public static Optional<EnvoyType> ofTypeUrl(String typeUrl) {
        for (EnvoyType type : ALL) {
            if (type.typeUrl.equals(typeUrl)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type whose resources are {@code messageClass}, or null. */
    static EnvoyType ofClass(Class<? extends Message> messageClass) {
        for (EnvoyType type : ALL) {
            if (type.messageClass == messageClass) {
                return type;
            }
        }
        return null;
    }

    /** The type of a resource message, or empty when it is not an xDS resource type. */
    public static Optional<EnvoyType> of(Message resource) {
        for (EnvoyType type : ALL) {
            if (type.messageClass.isInstance(resource)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
