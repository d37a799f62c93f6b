package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxies connected to this control plane: open subscriptions by stream, by mesh and by Dataplane, and per
 * Dataplane the last few subscriptions (open or closed) for its insight. The reconciler asks for a mesh's
 * subscriptions on every change, so they are indexed rather than found among all open streams (tens of thousands
 * on a large control plane). Thread-safe: stream callbacks, the reconciler and API requests all read it; writes
 * synchronize on this object.
 */
final class ProxyRegistry {
    /** How many closed subscriptions a Dataplane's insight keeps. */
    static final int HISTORY = 5;

    private final Map<Long, Subscription> byStream = new ConcurrentHashMap<>();
    /** The open subscriptions of each mesh ({@code ""}: zone proxies); written with {@code byStream}. */
    private final Map<String, Map<Long, Subscription>> byMesh = new ConcurrentHashMap<>();
    /** The open streams of each Dataplane; written with {@code byStream}, under this object's lock. */
    private final Map<ProxyKey, Set<Long>> openByProxy = new ConcurrentHashMap<>();
    private final Map<ProxyKey, Deque<Subscription>> history = new HashMap<>();

    /**
     * Adds the stream's subscription to the open ones.
     *
     * @return whether it is the only open stream of its Dataplane (none was open before it)
     */
    synchronized boolean opened(Subscription subscription) {
        requireNonNull(subscription, "subscription");
        byStream.put(subscription.streamId(), subscription);
        byMesh.computeIfAbsent(subscription.key().mesh(), m -> new ConcurrentHashMap<>())
                .put(subscription.streamId(), subscription);
        Set<Long> open = openByProxy.computeIfAbsent(subscription.key(), k -> ConcurrentHashMap.newKeySet());
        open.add(subscription.streamId());
        boolean alone = open.size() == 1;
        Deque<Subscription> list = history.computeIfAbsent(subscription.key(), k -> new ArrayDeque<>());
        list.addLast(subscription);
        while (list.size() > HISTORY + 1) {
            list.removeFirst();
        }
        return alone;
    }

    /** Removes the stream's subscription from the open ones; it stays in its Dataplane's history. */
    synchronized Optional<Subscription> closed(long streamId) {
        Subscription subscription = byStream.remove(streamId);
        if (subscription == null) {
            return Optional.empty();
        }
        byMesh.computeIfPresent(subscription.key().mesh(), (mesh, open) -> {
            open.remove(streamId);
            return open.isEmpty() ? null : open;
        });
        openByProxy.computeIfPresent(subscription.key(), (key, open) -> {
            open.remove(streamId);
            return open.isEmpty() ? null : open;
        });
        return Optional.of(subscription);
    }

    Optional<Subscription> byStream(long streamId) {
        return Optional.ofNullable(byStream.get(streamId));
    }

    /** Whether any stream of the Dataplane is open. */
    boolean isConnected(ProxyKey key) {
        return openByProxy.containsKey(key);
    }

    /** The ids of the open streams of the Dataplane's proxy (an application and its certificate agent may both have one). */
    List<Long> streamsOf(ProxyKey key) {
        return new ArrayList<>(openByProxy.getOrDefault(key, Set.of()));
    }

    /** The open subscriptions of the proxies of {@code mesh}. */
    List<Subscription> connectedIn(String mesh) {
        return new ArrayList<>(byMesh.getOrDefault(mesh, Map.of()).values());
    }

    /** The meshes with at least one connected proxy, sorted (zone proxies belong to none). */
    Set<String> meshesWithProxies() {
        Set<String> meshes = new TreeSet<>(byMesh.keySet());
        meshes.remove("");
        return meshes;
    }

    /** The open subscriptions of zone egress proxies. */
    List<Subscription> zoneProxies() {
        return connectedIn("");
    }

    /** The Dataplane's subscriptions, oldest first. */
    synchronized List<Subscription.View> subscriptions(ProxyKey key) {
        Deque<Subscription> list = history.get(key);
        return list == null ? List.of() : list.stream().map(Subscription::view).toList();
    }

    int openStreams() {
        return byStream.size();
    }
}
