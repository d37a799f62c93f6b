package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.ca.MeshCa;
import io.ursa.ca.ProxyKeyPool;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyIdentity;
import io.ursa.xds.context.ZoneEgressProxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity certificate of every connected proxy (spec §13.3). A proxy keeps its certificate while its mesh's
 * CA, the certificate lifetime and its tags stay the same, until 4/5 of the lifetime has passed; then, or when any
 * of those changed, it gets a new one. A certificate is issued for one proxy and only ever goes to the streams of
 * that proxy.
 *
 * <p>Threading: {@link #identity} runs on the reconciler thread or, during a large pass, on the generation
 * workers, but never for one proxy on two threads at once; {@link #forget} runs on the reconciler thread;
 * {@link #status} may be read from any thread.
 */
final class ProxyCertificates {
    private static final Logger log = LoggerFactory.getLogger(ProxyCertificates.class);
    private static final String SERVICE_TAG = "kuma.io/service";

    /** What the insight shows of a proxy's certificate (Kuma's DataplaneInsight {@code mTLS}). */
    record Status(String issuedBackend, Instant certificateExpirationTime, Instant lastCertificateRegeneration,
                  long certificateRegenerations) {
    }

    private record Entry(String inputs, ProxyIdentity identity, Instant renewAt) {
    }

    private final DataplaneCertificateIssuer issuer;
    private final DataplaneCertificateIssuer.KeyType keyType;
    /** Keys generated ahead, when the control plane keeps some; of {@link #keyType}. */
    private final Optional<ProxyKeyPool> keys;
    private final Clock clock;
    private final Map<ProxyKey, Entry> entries = new ConcurrentHashMap<>();
    private final Map<ProxyKey, Status> statuses = new ConcurrentHashMap<>();

    /** Certificates whose keys are generated when each is issued. */
    ProxyCertificates(DataplaneCertificateIssuer issuer, DataplaneCertificateIssuer.KeyType keyType, Clock clock) {
        this(issuer, keyType, Optional.empty(), clock);
    }

    /** Certificates whose keys come from {@code keys}, generated ahead while it has them. */
    ProxyCertificates(DataplaneCertificateIssuer issuer, ProxyKeyPool keys, Clock clock) {
        this(issuer, keys.type(), Optional.of(keys), clock);
    }

    private ProxyCertificates(DataplaneCertificateIssuer issuer, DataplaneCertificateIssuer.KeyType keyType,
                              Optional<ProxyKeyPool> keys, Clock clock) {
        this.issuer = requireNonNull(issuer, "issuer");
        this.keyType = requireNonNull(keyType, "keyType");
        this.keys = keys;
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * How many certificates may be issued soon (the connected proxies of meshes with a CA backend): the keys
     * generated ahead follow it.
     */
    void expectIssuing(int certificates) {
        keys.ifPresent(pool -> pool.expect(certificates));
    }

    /** An identity for a proxy: the one it has while still good, else a new one. */
    Issued identity(ProxyKey key, MeshCa ca, DataplaneSpec dataplane) {
        return identity(key, ca, tags(dataplane));
    }

    /**
     * The identity of zone egress {@code egress} in {@code mesh}: {@code spiffe://<mesh>/zone-egress}, kept like a
     * proxy's. Each mesh the egress serves gives it one.
     */
    Issued zoneEgressIdentity(ProxyKey egress, MeshCa ca, String mesh) {
        SortedMap<String, SortedSet<String>> tags = new TreeMap<>();
        tags.put(SERVICE_TAG, new TreeSet<>(Set.of(ZoneEgressProxy.SERVICE)));
        return identity(zoneEgressKey(egress, mesh), ca, tags);
    }

    /** Where the identity of zone egress {@code egress} in {@code mesh} is kept: a name no Dataplane can have. */
    private static ProxyKey zoneEgressKey(ProxyKey egress, String mesh) {
        return new ProxyKey(mesh, MeshContextBuilder.ZONE_EGRESS_ENDPOINT_PREFIX + egress.name());
    }

    private Issued identity(ProxyKey key, MeshCa ca, SortedMap<String, SortedSet<String>> tags) {
        String inputs = ca.fingerprint() + "|" + ca.backend() + "|" + ca.certificateLifetime() + "|" + keyType
                + "|" + tags;
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (entry != null && entry.inputs().equals(inputs) && now.isBefore(entry.renewAt())) {
            return new Issued(entry.identity(), entry.renewAt());
        }
        DataplaneCertificateIssuer.Issued issued = keys.isPresent()
                ? issuer.issue(ca.signer().certificateChainPem(), ca.signer().keyPem(), key.mesh(), tags,
                        ca.certificateLifetime(), keys.get().take())
                : issuer.issue(ca.signer().certificateChainPem(), ca.signer().keyPem(), key.mesh(), tags,
                        ca.certificateLifetime(), keyType);
        ProxyIdentity identity = new ProxyIdentity(issued.certificatePem(), issued.privateKeyPem(),
                ca.fingerprint(), now, issued.notAfter());
        Instant renewAt = now.plus(renewAfter(ca.certificateLifetime()));
        entries.put(key, new Entry(inputs, identity, renewAt));
        Status previous = statuses.get(key);
        statuses.put(key, new Status(ca.backend(), issued.notAfter(), now,
                previous == null ? 1 : previous.certificateRegenerations() + 1));
        log.info("issued the identity certificate of {} by CA {} of mesh {} (valid until {}, renewed at {}){}", key,
                ca.backend(), key.mesh(), issued.notAfter(), renewAt, entry == null ? ""
                        : now.isBefore(entry.renewAt()) ? " because its CA, lifetime or tags changed" : "");
        return new Issued(identity, renewAt);
    }

    /** The time by the clock certificates are issued with. */
    Instant now() {
        return clock.instant();
    }

    /** Drops the certificate of a proxy that left; it gets a new one if it comes back. */
    void forget(ProxyKey key) {
        entries.remove(key);
        statuses.remove(key);
        if (key.isZoneProxy()) {
            String name = MeshContextBuilder.ZONE_EGRESS_ENDPOINT_PREFIX + key.name();
            entries.keySet().removeIf(k -> k.name().equals(name));
            statuses.keySet().removeIf(k -> k.name().equals(name));
        }
    }

    /** The proxy's certificate as its insight shows it; empty when it never got one from this control plane. */
    Optional<Status> status(ProxyKey key) {
        return Optional.ofNullable(statuses.get(key));
    }

    /** 4/5 of the lifetime, as Kuma: a 24h certificate is renewed after 19h12m. */
    static Duration renewAfter(Duration lifetime) {
        return Duration.ofMillis(lifetime.toMillis() / 5 * 4);
    }

    /** Every value each tag has across the proxy's inbounds (and gateway), which its SANs name (spec §13.2). */
    static SortedMap<String, SortedSet<String>> tags(DataplaneSpec dataplane) {
        SortedMap<String, SortedSet<String>> tags = new TreeMap<>();
        for (Map<String, String> set : dataplane.tagSets()) {
            set.forEach((tag, value) -> tags.computeIfAbsent(tag, t -> new TreeSet<>()).add(value));
        }
        if (!tags.containsKey(SERVICE_TAG)) {
            throw new IllegalArgumentException("the Dataplane has no " + SERVICE_TAG
                    + " tag, so it has no identity to give a certificate for");
        }
        return tags;
    }

    /** An identity and when it is due for renewal. */
    record Issued(ProxyIdentity identity, Instant renewAt) {
        /** A short text that changes whenever the certificate does. */
        String version() {
            return identity.issuedAt() + "/" + Integer.toHexString(identity.certificatePem().hashCode());
        }
    }
}
