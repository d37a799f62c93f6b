package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.NameRules;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.ValidationException;
import io.ursa.api.validation.Violations;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The body of {@code POST /bootstrap} as kuma-dp 2.0.8 (and ursa-dp) send it ({@code mesh-spec} §10.2). The JSON is
 * the contract: this type shares no code with the agent. Unknown fields are ignored, as Kuma's Go decoder does;
 * absent optional fields take Kuma's zero values. {@link #parse} reports every problem with its field.
 *
 * @param dataplaneResource the Dataplane as Universal JSON, as the agent sent it (a string, not an object)
 * @param dnsPort           the agent's DNS port, 0 when not sent
 * @param emptyDnsPort      the agent's empty-DNS port, 0 when not sent
 * @param dynamicMetadata   extra node metadata from the agent, sorted by key
 * @param maxHeapSizeBytes  {@code resources.maxHeapSizeBytes}, 0 when not sent
 * @param controlPlaneAddresses Ursa's own field: every control-plane instance the agent was given (URLs
 *                          {@code https://host[:port]}, sent by ursa-dp when it has more than one), which the
 *                          {@code ads_cluster} then lists; empty when not sent (kuma-dp never sends it)
 * @param xdsProtocol       Ursa's own field: the ADS variant the agent asks Envoy to speak ({@code sotw} or
 *                          {@code delta}, {@code ursa-dp run --xds-protocol}); empty when not sent, and the control
 *                          plane's {@code bootstrapServer.params.xdsProtocol} decides
 */
public record BootstrapRequest(
        String mesh,
        String name,
        ProxyType proxyType,
        Optional<String> dataplaneToken,
        Optional<String> dataplaneTokenPath,
        Optional<String> dataplaneResource,
        Version version,
        String caCert,
        SortedMap<String, String> dynamicMetadata,
        int dnsPort,
        int emptyDnsPort,
        String operatingSystem,
        List<String> features,
        long maxHeapSizeBytes,
        List<XdsAddress> controlPlaneAddresses,
        Optional<AdsProtocol> xdsProtocol) {

    /** What kind of proxy asks ({@code proxyType}; absent or empty means {@code dataplane}). */
    public enum ProxyType {
        DATAPLANE("dataplane"),
        INGRESS("ingress"),
        EGRESS("egress");

        private final String wireName;

        ProxyType(String wireName) {
            this.wireName = wireName;
        }

        /** The JSON and node-metadata spelling. */
        public String wireName() {
            return wireName;
        }

        static Optional<ProxyType> fromWire(String value) {
            for (ProxyType type : values()) {
                if (type.wireName.equals(value)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    /** {@code version}: the agent's and Envoy's builds. */
    public record Version(KumaDp kumaDp, Envoy envoy) {
        public static final Version UNKNOWN = new Version(
                new KumaDp("", "", "", ""), new Envoy("", "", false));

        public Version {
            requireNonNull(kumaDp, "kumaDp");
            requireNonNull(envoy, "envoy");
        }
    }

    /** {@code version.kumaDp}. */
    public record KumaDp(String version, String gitTag, String gitCommit, String buildDate) {
        public KumaDp {
            requireNonNull(version, "version");
            requireNonNull(gitTag, "gitTag");
            requireNonNull(gitCommit, "gitCommit");
            requireNonNull(buildDate, "buildDate");
        }
    }

    /** {@code version.envoy}. */
    public record Envoy(String version, String build, boolean kumaDpCompatible) {
        public Envoy {
            requireNonNull(version, "version");
            requireNonNull(build, "build");
        }
    }

    public BootstrapRequest {
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(proxyType, "proxyType");
        requireNonNull(dataplaneToken, "dataplaneToken");
        requireNonNull(dataplaneTokenPath, "dataplaneTokenPath");
        requireNonNull(dataplaneResource, "dataplaneResource");
        requireNonNull(version, "version");
        requireNonNull(caCert, "caCert");
        dynamicMetadata = Collections.unmodifiableSortedMap(
                new TreeMap<>(requireNonNull(dynamicMetadata, "dynamicMetadata")));
        requireNonNull(operatingSystem, "operatingSystem");
        features = List.copyOf(requireNonNull(features, "features"));
        checkPort("dnsPort", dnsPort);
        checkPort("emptyDnsPort", emptyDnsPort);
        if (maxHeapSizeBytes < 0) {
            throw new IllegalArgumentException("invalid maxHeapSizeBytes: " + maxHeapSizeBytes + " (expected: >= 0)");
        }
        controlPlaneAddresses = List.copyOf(requireNonNull(controlPlaneAddresses, "controlPlaneAddresses"));
        requireNonNull(xdsProtocol, "xdsProtocol");
    }

    /** A request without {@code xdsProtocol}. */
    public BootstrapRequest(String mesh, String name, ProxyType proxyType, Optional<String> dataplaneToken,
                            Optional<String> dataplaneTokenPath, Optional<String> dataplaneResource, Version version,
                            String caCert, SortedMap<String, String> dynamicMetadata, int dnsPort, int emptyDnsPort,
                            String operatingSystem, List<String> features, long maxHeapSizeBytes,
                            List<XdsAddress> controlPlaneAddresses) {
        this(mesh, name, proxyType, dataplaneToken, dataplaneTokenPath, dataplaneResource, version, caCert,
                dynamicMetadata, dnsPort, emptyDnsPort, operatingSystem, features, maxHeapSizeBytes,
                controlPlaneAddresses, Optional.empty());
    }

    /** A request without {@code controlPlaneAddresses}, as kuma-dp sends it. */
    public BootstrapRequest(String mesh, String name, ProxyType proxyType, Optional<String> dataplaneToken,
                            Optional<String> dataplaneTokenPath, Optional<String> dataplaneResource, Version version,
                            String caCert, SortedMap<String, String> dynamicMetadata, int dnsPort, int emptyDnsPort,
                            String operatingSystem, List<String> features, long maxHeapSizeBytes) {
        this(mesh, name, proxyType, dataplaneToken, dataplaneTokenPath, dataplaneResource, version, caCert,
                dynamicMetadata, dnsPort, emptyDnsPort, operatingSystem, features, maxHeapSizeBytes, List.of());
    }

    /**
     * Parses and validates a request body. Throws a {@link ValidationException} that lists every problem with its
     * field ({@code dnsPort: invalid port: 70000 (expected: 0-65535)}).
     */
    public static BootstrapRequest parse(String body) {
        requireNonNull(body, "body");
        JsonNode root;
        try {
            root = Json.json().readTree(body);
        } catch (JsonProcessingException e) {
            throw ValidationException.of(Path.root(), "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ValidationException.of(Path.root(), "the body is not a JSON object (expected: {\"mesh\": ..., "
                    + "\"name\": ..., ...})");
        }
        return new Reader(root).read();
    }

    private static void checkPort(String field, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid " + field + ": " + port + " (expected: 0-65535)");
        }
    }

    /** One parse: reads fields from the tree and collects every violation. Not thread-safe. */
    private static final class Reader {
        private final JsonNode root;
        private final Violations violations = new Violations();

        Reader(JsonNode root) {
            this.root = root;
        }

        BootstrapRequest read() {
            String mesh = text(root, Path.of("mesh"));
            String name = text(root, Path.of("name"));
            String proxyTypeText = text(root, Path.of("proxyType"));
            ProxyType proxyType = proxyTypeText.isEmpty() ? ProxyType.DATAPLANE
                    : ProxyType.fromWire(proxyTypeText).orElse(ProxyType.DATAPLANE);
            Violations names = new Violations();
            if (proxyType == ProxyType.EGRESS) {
                // a zone egress belongs to no mesh; Kuma's agent sends none
                NameRules.validate(ResourceTypes.ZONE_EGRESS, "", name, names);
                if (!mesh.isEmpty()) {
                    names.add(Path.of("mesh"), "must be empty for a zone egress, which belongs to no mesh");
                }
            } else {
                NameRules.validate(ResourceTypes.DATAPLANE, mesh, name, names);
            }
            names.list().forEach(violations::add);
            if (!proxyTypeText.isEmpty() && ProxyType.fromWire(proxyTypeText).isEmpty()) {
                violations.add(Path.of("proxyType"), "unknown proxy type: \"" + proxyTypeText
                        + "\" (expected: one of dataplane, ingress, egress)");
            }
            Optional<String> token = optionalText(root, Path.of("dataplaneToken"));
            Optional<String> tokenPath = optionalText(root, Path.of("dataplaneTokenPath"));
            Optional<String> resource = optionalText(root, Path.of("dataplaneResource"));
            Version version = version();
            String caCert = text(root, Path.of("caCert"));
            SortedMap<String, String> dynamicMetadata = stringMap(Path.of("dynamicMetadata"));
            int dnsPort = port(Path.of("dnsPort"));
            int emptyDnsPort = port(Path.of("emptyDnsPort"));
            String operatingSystem = text(root, Path.of("operatingSystem"));
            List<String> features = stringList(Path.of("features"));
            long maxHeap = 0;
            JsonNode resources = object(root, Path.of("resources"));
            if (resources != null) {
                maxHeap = unsigned(resources, Path.of("resources.maxHeapSizeBytes"));
            }
            List<XdsAddress> controlPlanes = addresses(Path.of("controlPlaneAddresses"));
            Optional<AdsProtocol> xdsProtocol = optionalText(root, Path.of("xdsProtocol")).flatMap(value -> {
                Optional<AdsProtocol> known = AdsProtocol.fromWire(value);
                if (known.isEmpty()) {
                    violations.add(Path.of("xdsProtocol"), "unknown xDS protocol: \"" + value
                            + "\" (expected: sotw or delta)");
                }
                return known;
            });
            violations.throwIfAny();
            return new BootstrapRequest(mesh, name, proxyType, token, tokenPath, resource, version, caCert,
                    dynamicMetadata, dnsPort, emptyDnsPort, operatingSystem, features, maxHeap, controlPlanes,
                    xdsProtocol);
        }

        /** A list of {@code http(s)://host[:port]} URLs; absent or null is empty. */
        private List<XdsAddress> addresses(Path path) {
            List<XdsAddress> addresses = new ArrayList<>();
            List<String> urls = stringList(path);
            for (int i = 0; i < urls.size(); i++) {
                String text = urls.get(i);
                URI url;
                try {
                    url = new URI(text);
                } catch (URISyntaxException e) {
                    url = null;
                }
                String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                if (url == null || url.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                    violations.add(path.index(i), "invalid URL: \"" + text + "\" (expected: https://host[:port] or"
                            + " http://host[:port] of a control plane's DP server)");
                    continue;
                }
                String host = url.getHost();
                host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
                addresses.add(new XdsAddress(host, Math.max(url.getPort(), 0)));
            }
            return addresses;
        }

        private Version version() {
            JsonNode version = object(root, Path.of("version"));
            if (version == null) {
                return Version.UNKNOWN;
            }
            KumaDp kumaDp = Version.UNKNOWN.kumaDp();
            JsonNode dp = object(version, Path.of("version.kumaDp"));
            if (dp != null) {
                kumaDp = new KumaDp(text(dp, Path.of("version.kumaDp.version")),
                        text(dp, Path.of("version.kumaDp.gitTag")),
                        text(dp, Path.of("version.kumaDp.gitCommit")),
                        text(dp, Path.of("version.kumaDp.buildDate")));
            }
            Envoy envoy = Version.UNKNOWN.envoy();
            JsonNode e = object(version, Path.of("version.envoy"));
            if (e != null) {
                envoy = new Envoy(text(e, Path.of("version.envoy.version")),
                        text(e, Path.of("version.envoy.build")),
                        bool(e, Path.of("version.envoy.kumaDpCompatible")));
            }
            return new Version(kumaDp, envoy);
        }

        /** A string field; absent or null is "" (Go's zero value). */
        private String text(JsonNode parent, Path path) {
            JsonNode node = parent.get(last(path));
            if (node == null || node.isNull()) {
                return "";
            }
            if (!node.isTextual()) {
                violations.add(path, "must be a string, got: " + node);
                return "";
            }
            return node.asText();
        }

        private Optional<String> optionalText(JsonNode parent, Path path) {
            String value = text(parent, path);
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        private boolean bool(JsonNode parent, Path path) {
            JsonNode node = parent.get(last(path));
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                violations.add(path, "must be true or false, got: " + node);
                return false;
            }
            return node.asBoolean();
        }

        private JsonNode object(JsonNode parent, Path path) {
            JsonNode node = parent.get(last(path));
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                violations.add(path, "must be an object, got: " + node);
                return null;
            }
            return node;
        }

        /** A port; absent, null or 0 means "not sent". */
        private int port(Path path) {
            JsonNode node = root.get(last(path));
            if (node == null || node.isNull()) {
                return 0;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0 || node.asInt() > 65535) {
                violations.add(path, "invalid port: " + node + " (expected: 0-65535)");
                return 0;
            }
            return node.asInt();
        }

        /** A non-negative integer; absent or null is 0. */
        private long unsigned(JsonNode parent, Path path) {
            JsonNode node = parent.get(last(path));
            if (node == null || node.isNull()) {
                return 0;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
                violations.add(path, "must be a non-negative integer, got: " + node);
                return 0;
            }
            return node.asLong();
        }

        private SortedMap<String, String> stringMap(Path path) {
            SortedMap<String, String> map = new TreeMap<>();
            JsonNode node = object(root, path);
            if (node == null) {
                return map;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isTextual()) {
                    violations.add(path.key(entry.getKey()), "must be a string, got: " + entry.getValue());
                } else {
                    map.put(entry.getKey(), entry.getValue().asText());
                }
            }
            return map;
        }

        private List<String> stringList(Path path) {
            List<String> list = new ArrayList<>();
            JsonNode node = root.get(last(path));
            if (node == null || node.isNull()) {
                return list;
            }
            if (!node.isArray()) {
                violations.add(path, "must be a list of strings, got: " + node);
                return list;
            }
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isTextual()) {
                    violations.add(path.index(i), "must be a string, got: " + node.get(i));
                } else {
                    list.add(node.get(i).asText());
                }
            }
            return list;
        }

        private static String last(Path path) {
            String rendered = path.toString();
            return rendered.substring(rendered.lastIndexOf('.') + 1);
        }
    }
}
