package io.ursa.xds.server;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Packs each resource into its {@code Any} once, however many proxies are sent it. java-control-plane's default
 * serializer packs (serializes) every resource of every response: a cluster that 1,000 proxies share is serialized
 * 1,000 times per change. Proxies of a mesh context share resource instances, so packing is remembered per
 * resource: looked up by value (protobuf messages remember their hash code, and an instance equals itself at
 * once), so equal resources share one packed form.
 *
 * <p>What is kept: the resources packed since the previous {@link #rotate()} and those of the one before that are
 * still found; {@link #rotate()} (after every reconciler pass) forgets the rest. Thread-safe.
 */
final class SharedSerializer implements ProtoResourcesSerializer {
    private volatile ConcurrentHashMap<Message, Any> current = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<Message, Any> previous = new ConcurrentHashMap<>();

    @Override
    public Any serialize(Message message, Resources.ApiVersion apiVersion) {
        ConcurrentHashMap<Message, Any> now = current;
        Any packed = now.get(message);
        if (packed == null) {
            packed = previous.get(message);
            if (packed == null) {
                packed = Any.pack(message);
            }
            now.put(message, packed);
        }
        return packed;
    }

    /** Starts a new generation: what was not used since the last rotation is forgotten at the next one. */
    void rotate() {
        previous = current;
        current = new ConcurrentHashMap<>();
    }

    /** How many packed resources are kept. */
    int size() {
        return current.size() + previous.size();
    }
}
