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
 * The proxies connected to this control plane: open subscriptions by stream, and per Dataplane the last few
 * subscriptions (open or closed) for its insight. Thread-safe: stream callbacks, the reconciler and API requests
 * all read it; writes of the per-Dataplane history synchronize on this object.
 */
final class ProxyRegistry {
    /** How many closed subscriptions a Dataplane's insight keeps. */
    static final int HISTORY = 5;

    private final Map<Long, Subscription> byStream = new ConcurrentHashMap<>();
    private final Map<ProxyKey, Deque<Subscription>> history = new HashMap<>();

    synchronized void opened(Subscription subscription) {
        requireNonNull(subscription, "subscription");
        byStream.put(subscription.streamId(), subscription);
        Deque<Subscription> list = history.computeIfAbsent(subscription.key(), k -> new ArrayDeque<>());
        list.addLast(subscription);
        while (list.size() > HISTORY + 1) {
            list.removeFirst();
        }
    }

    /** Removes the stream's subscription from the open ones; it stays in its Dataplane's history. */
    synchronized Optional<Subscription> closed(long streamId) {
        return Optional.ofNullable(byStream.remove(streamId));
    }

    Optional<Subscription> byStream(long streamId) {
        return Optional.ofNullable(byStream.get(streamId));
    }

    /** Whether any stream of the Dataplane is open. */
    boolean isConnected(ProxyKey key) {
        return byStream.values().stream().anyMatch(s -> s.key().equals(key));
    }

    /** The ids of the open streams of the Dataplane's proxy (an application and its certificate agent may both have one). */
    List<Long> streamsOf(ProxyKey key) {
        List<Long> result = new ArrayList<>();
        for (Subscription subscription : byStream.values()) {
            if (subscription.key().equals(key)) {
                result.add(subscription.streamId());
            }
        }
        return result;
    }

    /** The open subscriptions of the proxies of {@code mesh}. */
    List<Subscription> connectedIn(String mesh) {
        List<Subscription> result = new ArrayList<>();
        for (Subscription subscription : byStream.values()) {
            if (subscription.key().mesh().equals(mesh)) {
                result.add(subscription);
            }
        }
        return result;
    }

    /** The meshes with at least one connected proxy, sorted. */
    Set<String> meshesWithProxies() {
        Set<String> meshes = new TreeSet<>();
        byStream.values().forEach(s -> meshes.add(s.key().mesh()));
        return meshes;
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
