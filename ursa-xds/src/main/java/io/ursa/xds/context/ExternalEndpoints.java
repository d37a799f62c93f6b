package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.ursa.api.policy.ExternalServiceSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.DataSource;
import io.ursa.api.spec.NetworkAddresses.HostPort;
import io.ursa.ca.DataSourceLoader;
import io.ursa.core.ca.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a mesh's ExternalServices into {@link ExternalEndpoint}s, loading their TLS data sources (Kuma's
 * {@code fillExternalServicesOutbounds} and {@code NewExternalServiceEndpoint}): {@code secret} from the mesh's
 * Secrets, {@code file} from the control plane's host, {@code inline} and {@code inlineString} as given. As in
 * Kuma, an ExternalService whose material cannot be loaded is left out (and logged), and the others of its
 * service still count. Only the material of an ExternalService with {@code tls.enabled} is loaded: nothing else
 * uses it.
 *
 * <p>The loaded material is part of the mesh context's content: {@link Loaded#tlsDigest} goes into its hash, so a
 * changed Secret regenerates the proxies (any write in a mesh rebuilds its context), and a changed file does at the
 * next periodic resync. Stateless and thread-safe.
 */
final class ExternalEndpoints {
    private static final Logger log = LoggerFactory.getLogger(ExternalEndpoints.class);

    private final SecretAccess secrets;

    /** The endpoints by service, and the SHA-256 (hex) of all TLS material loaded; empty when none was. */
    record Loaded(Map<String, List<ExternalEndpoint>> byService, String tlsDigest) {
    }

    ExternalEndpoints(SecretAccess secrets) {
        this.secrets = requireNonNull(secrets, "secrets");
    }

    Loaded load(String mesh, List<Resource<ExternalServiceSpec>> externalServices) {
        Map<String, List<ExternalEndpoint>> byService = new TreeMap<>();
        MessageDigest digest = sha256();
        boolean loadedAny = false;
        for (Resource<ExternalServiceSpec> resource : externalServices) {
            ExternalServiceSpec spec = resource.spec();
            Optional<HostPort> address = spec.networking() == null ? Optional.empty()
                    : spec.networking().hostPort();
            if (spec.service().isEmpty() || address.isEmpty() || !address.get().port().matches("[0-9]{1,5}")) {
                continue; // refused by validation; older stored data is skipped rather than failing the mesh
            }
            int port = Integer.parseInt(address.get().port());
            if (port < 1 || port > 65535) {
                continue;
            }
            Map<String, String> tags = new TreeMap<>(spec.tags());
            Optional<ExternalTls> tls = Optional.empty();
            ExternalServiceSpec.Tls config = spec.networking().tls();
            if (config != null && config.enabled()) {
                digest.update(resource.name().getBytes(StandardCharsets.UTF_8));
                try {
                    tls = Optional.of(new ExternalTls(
                            load(mesh, config.caCert(), "caCert", digest),
                            load(mesh, config.clientCert(), "clientCert", digest),
                            load(mesh, config.clientKey(), "clientKey", digest),
                            Boolean.TRUE.equals(config.allowRenegotiation()),
                            Optional.ofNullable(config.serverName()).filter(s -> !s.isEmpty())));
                } catch (Unloadable e) {
                    log.warn("ExternalService {} in mesh {} is left out of the proxies' configuration: {}",
                            resource.name(), mesh, e.getMessage());
                    continue;
                }
                loadedAny = true;
                tags.put(ExternalEndpoint.NAME_TAG, resource.name());
            }
            byService.computeIfAbsent(spec.service(), s -> new ArrayList<>()).add(new ExternalEndpoint(
                    resource.name(), address.get().host(), port, tags, tls));
        }
        return new Loaded(byService, loadedAny ? HexFormat.of().formatHex(digest.digest()) : "");
    }

    private Optional<ByteString> load(String mesh, DataSource source, String field, MessageDigest digest)
            throws Unloadable {
        if (source == null) {
            return Optional.empty();
        }
        byte[] data;
        try {
            data = DataSourceLoader.load(mesh, source, secrets);
        } catch (DataSourceLoader.LoadException e) {
            throw new Unloadable("could not load " + field + ": " + e.getMessage());
        }
        digest.update(field.getBytes(StandardCharsets.UTF_8));
        digest.update(java.nio.ByteBuffer.allocate(Integer.BYTES).putInt(data.length).array());
        digest.update(data);
        return Optional.of(ByteString.copyFrom(data));
    }

    /** A data source of an ExternalService could not be loaded; the message says which and why. */
    private static final class Unloadable extends Exception {
        Unloadable(String message) {
            super(message);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
