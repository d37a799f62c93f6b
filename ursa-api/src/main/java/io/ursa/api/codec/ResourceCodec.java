package io.ursa.api.codec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.resource.Trait;
import io.ursa.api.spec.Base64Bytes;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.validation.Path;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and writes resources in Kuma's Universal form ({@code type}/{@code name}/{@code mesh} with the spec
 * inline) and Kubernetes form ({@code apiVersion: kuma.io/v1alpha1}, {@code kind}, {@code metadata},
 * {@code spec}, top-level {@code mesh}), as JSON or YAML. Every failure is a {@link DecodeException} that names
 * the field. Thread-safe.
 */
public final class ResourceCodec {
    public static final String K8S_API_VERSION = "kuma.io/v1alpha1";
    public static final String K8S_MESH_LABEL = "kuma.io/mesh";
    private static final List<String> UNIVERSAL_META = List.of(
            "type", "name", "mesh", "creationTime", "modificationTime", "labels");
    private static final List<String> K8S_TOP_LEVEL = List.of("apiVersion", "kind", "metadata", "spec", "mesh");
    /** Kubernetes {@code ObjectMeta}, so that a document exported by kubectl has no unknown fields. */
    private static final List<String> K8S_METADATA = List.of(
            "name", "namespace", "labels", "annotations", "generateName", "uid", "resourceVersion", "generation",
            "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
            "finalizers", "managedFields", "selfLink");

    private final ResourceTypes types;
    private final UnknownFields unknownFields = new UnknownFields(Json.json());

    public ResourceCodec(ResourceTypes types) {
        this.types = requireNonNull(types, "types");
    }

    public ResourceTypes types() {
        return types;
    }

    // ---- parsing text ----

    /** Parses one JSON document. */
    public JsonNode parseJson(String text) {
        checkSize(text);
        try {
            JsonNode node = Json.json().readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new DecodeException("", "the document is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw syntaxError("JSON", e);
        }
    }

    /**
     * Parses a stream of YAML documents separated by {@code ---}; empty documents are skipped. YAML aliases
     * ({@code *name}) are refused: Jackson does not expand them (it would read {@code *a} as the string
     * {@code "a"}), and refusing them also disarms alias bombs.
     */
    public List<JsonNode> parseYamlDocuments(String text) {
        checkSize(text);
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = new AliasRefusingParser(Json.yaml().createParser(text));
             MappingIterator<JsonNode> it = Json.yaml().readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(node);
                }
            }
        } catch (JsonProcessingException e) {
            throw syntaxError("YAML", e);
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DecodeException("", "could not parse YAML: " + ParserMessages.firstLine(e.getMessage()));
        }
        return docs;
    }

    private static void checkSize(String text) {
        if (text.length() > Json.MAX_DOCUMENT_CHARS) {
            throw new DecodeException("", "the input is " + text.length() + " characters long (expected: at most "
                    + Json.MAX_DOCUMENT_CHARS + ")");
        }
    }

    // ---- documents to resources ----

    /** Decodes one document of either form into a resource of the type it names. */
    public Resource<?> decode(JsonNode document) {
        ResourceDocument doc = parseDocument(document);
        ResourceType<?> type = types.byName(doc.type()).orElseThrow(() -> unknownType(doc));
        return toResource(type, doc);
    }

    /**
     * As {@link #decode}, and also every field decoding dropped because the type does not know it, with the
     * closest known name (see {@link #toResourceReporting}).
     */
    public Decoded<?> decodeReporting(JsonNode document) {
        ResourceDocument doc = parseDocument(document);
        ResourceType<?> type = types.byName(doc.type()).orElseThrow(() -> unknownType(doc));
        return toResourceReporting(type, doc);
    }

    /** Pulls the meta out of a document of either form, without decoding the spec. */
    public ResourceDocument parseDocument(JsonNode document) {
        if (!(document instanceof ObjectNode object)) {
            throw new DecodeException("", "expected an object with \"type\" (Universal form) or \"kind\" "
                    + "(Kubernetes form), got: " + describe(document));
        }
        if (object.has("apiVersion") || object.has("kind")) {
            return parseKubernetes(object);
        }
        if (!object.has("type")) {
            throw new DecodeException("type", "cannot be empty (expected \"type\" in the Universal form, or "
                    + "\"apiVersion\" and \"kind\" in the Kubernetes form)");
        }
        String type = text(object, "type", Path.of("type"));
        String name = text(object, "name", Path.of("name"));
        String mesh = text(object, "mesh", Path.of("mesh"));
        ObjectNode spec = object.deepCopy();
        spec.remove(UNIVERSAL_META);
        return new ResourceDocument(Form.UNIVERSAL, type, mesh, name, spec);
    }

    private ResourceDocument parseKubernetes(ObjectNode object) {
        String apiVersion = text(object, "apiVersion", Path.of("apiVersion"));
        if (!apiVersion.equals(K8S_API_VERSION)) {
            throw new DecodeException("apiVersion", "unsupported apiVersion \"" + apiVersion + "\" (expected: "
                    + K8S_API_VERSION + ")");
        }
        String kind = text(object, "kind", Path.of("kind"));
        if (kind.isEmpty()) {
            throw new DecodeException("kind", "cannot be empty");
        }
        JsonNode metadata = object.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isObject()) {
            throw new DecodeException("metadata", "expected an object, got: " + describe(metadata));
        }
        String name = metadata.isObject() ? text((ObjectNode) metadata, "name", Path.of("metadata.name")) : "";
        String namespace = metadata.isObject()
                ? text((ObjectNode) metadata, "namespace", Path.of("metadata.namespace")) : "";
        boolean namespaced = types.byName(kind).map(t -> t.has(Trait.K8S_NAMESPACED)).orElse(false);
        if (namespaced && !name.isEmpty() && !namespace.isEmpty()) {
            name = name + "." + namespace;
        }
        String mesh = text(object, "mesh", Path.of("mesh"));
        if (mesh.isEmpty() && metadata.path("labels").isObject()) {
            JsonNode label = metadata.path("labels").path(K8S_MESH_LABEL);
            if (label.isTextual()) {
                mesh = label.asText();
            }
        }
        boolean meshScoped = types.byName(kind).map(ResourceType::isMeshScoped).orElse(false);
        if (mesh.isEmpty() && meshScoped) {
            mesh = "default";
        }
        JsonNode spec = object.path("spec");
        if (spec.isMissingNode() || spec.isNull()) {
            spec = Json.json().createObjectNode();
        }
        if (!(spec instanceof ObjectNode specObject)) {
            throw new DecodeException("spec", "expected an object, got: " + describe(spec));
        }
        List<UnknownField> unknownMeta = new ArrayList<>();
        UnknownFields.unknownKeys(object, K8S_TOP_LEVEL, Path.root(), unknownMeta);
        if (metadata.isObject()) {
            UnknownFields.unknownKeys(metadata, K8S_METADATA, Path.of("metadata"), unknownMeta);
        }
        return new ResourceDocument(Form.KUBERNETES, kind, mesh, name, specObject.deepCopy(), unknownMeta);
    }

    /** Decodes the spec of {@code doc} as {@code type}; meta comes from the document as written. */
    public <S extends Spec> Resource<S> toResource(ResourceType<S> type, ResourceDocument doc) {
        S spec = decodeSpec(type, doc.spec(), Path.of(doc.specPrefix()));
        String mesh = type.isMeshScoped() ? doc.mesh() : "";
        return new Resource<>(type, ResourceMeta.of(mesh, doc.name()), spec);
    }

    /**
     * As {@link #toResource}, and also the fields decoding dropped: the document's unknown meta keys, then every
     * spec field the type does not know, nested ones included ({@code mtls.backends[0].cnf}), with Universal
     * paths in both forms. A backend's typed {@code conf} counts as fields: a key its type's reader ignores is
     * reported ({@code mtls.backends[0].conf.caCrt}, see {@link io.ursa.api.mesh.BackendConfShapes}). Keys inside
     * free-form values (tags, Secret data, raw Envoy configuration) are never reported. The resource is exactly what {@link #toResource} returns.
     */
    public <S extends Spec> Decoded<S> toResourceReporting(ResourceType<S> type, ResourceDocument doc) {
        Resource<S> resource = toResource(type, doc);
        List<UnknownField> unknown = new ArrayList<>(doc.unknownMeta());
        unknown.addAll(unknownFields.find(doc.spec(), type.specClass(),
                doc.form() == Form.UNIVERSAL ? UNIVERSAL_META : List.of()));
        return new Decoded<>(resource, unknown);
    }

    /** Decodes spec fields (a JSON object) into {@code type}'s spec record. */
    public <S extends Spec> S decodeSpec(ResourceType<S> type, JsonNode specNode, Path prefix) {
        try {
            return Json.json().treeToValue(specNode, type.specClass());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw fieldError(specNode, prefix, e);
        }
    }

    // ---- resources to documents ----

    /** The Universal (REST) form: meta fields, then the spec fields inline. */
    public ObjectNode toUniversal(Resource<?> resource) {
        ObjectNode out = Json.json().createObjectNode();
        out.put("type", resource.type().name());
        if (!resource.mesh().isEmpty()) {
            out.put("mesh", resource.mesh());
        }
        out.put("name", resource.name());
        out.put("creationTime", formatTime(resource.meta().creationTime()));
        out.put("modificationTime", formatTime(resource.meta().modificationTime()));
        out.setAll(encodeSpec(resource.spec()));
        return out;
    }

    /**
     * The Kubernetes form, as {@code kubectl} would accept it; a type with {@link Trait#K8S_NAMESPACED} gets the
     * part of its name after the last dot as {@code metadata.namespace}.
     */
    public ObjectNode toKubernetes(Resource<?> resource) {
        ObjectNode out = Json.json().createObjectNode();
        out.put("apiVersion", K8S_API_VERSION);
        out.put("kind", resource.type().name());
        if (!resource.mesh().isEmpty()) {
            out.put("mesh", resource.mesh());
        }
        ObjectNode metadata = out.putObject("metadata");
        int dot = resource.name().lastIndexOf('.');
        if (resource.type().has(Trait.K8S_NAMESPACED) && dot > 0 && dot < resource.name().length() - 1) {
            metadata.put("name", resource.name().substring(0, dot));
            metadata.put("namespace", resource.name().substring(dot + 1));
        } else {
            metadata.put("name", resource.name());
        }
        if (!resource.meta().creationTime().equals(ResourceMeta.ZERO_TIME)) {
            metadata.put("creationTimestamp", formatTime(resource.meta().creationTime()));
        }
        out.set("spec", encodeSpec(resource.spec()));
        return out;
    }

    /** The spec alone, as a JSON object with Kuma's encoding rules. */
    public ObjectNode encodeSpec(Spec spec) {
        JsonNode node = Json.json().valueToTree(spec);
        return node instanceof ObjectNode object ? object : Json.json().createObjectNode();
    }

    public String writeJson(JsonNode node) {
        try {
            return Json.json().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    public String writeYaml(JsonNode node) {
        try {
            return Json.yaml().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write YAML", e);
        }
    }

    /** RFC 3339 with fractional seconds when present, e.g. {@code 2018-07-17T16:05:36.995Z}. */
    public static String formatTime(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    // ---- errors ----

    private DecodeException unknownType(ResourceDocument doc) {
        String field = doc.form() == Form.KUBERNETES ? "kind" : "type";
        if (doc.type().isEmpty()) {
            return new DecodeException(field, "cannot be empty");
        }
        return new DecodeException(field, "unknown type \"" + doc.type() + "\" (expected one of: "
                + String.join(", ", types.names()) + ")");
    }

    private static String text(ObjectNode object, String field, Path path) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw new DecodeException(path.toString(), "expected a string, got: " + describe(node));
    }

    private static DecodeException syntaxError(String format, JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new DecodeException("", "could not parse " + format + where + ": " + syntaxProblem(e));
    }

    /** SnakeYAML's problem ("expected ',' or ']', but got <stream end>") rather than only its context. */
    private static String syntaxProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
            return yaml.getContext() == null ? yaml.getProblem() : yaml.getProblem() + " (" + yaml.getContext() + ")";
        }
        return ParserMessages.firstLine(e.getOriginalMessage());
    }

    private static DecodeException fieldError(JsonNode root, Path prefix, Exception e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return new DecodeException(prefix.toString(), ParserMessages.firstLine(e.getMessage()));
        }
        Path path = Path.root();
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                path = path.field(ref.getFieldName());
                pointer.append('/').append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                path = path.index(ref.getIndex());
                pointer.append('/').append(ref.getIndex());
            }
        }
        JsonNode actual = root.at(pointer.toString());
        String field = prefix.resolve(path.toString()).toString();
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            return new DecodeException(field, ParserMessages.firstLine(vie.getCause().getMessage()));
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            Class<?> target = ((MismatchedInputException) e).getTargetType();
            return new DecodeException(field, "expected " + expected(target) + ", got: " + describe(actual));
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new DecodeException(field, ParserMessages.firstLine(cause instanceof JsonProcessingException jpe
                ? jpe.getOriginalMessage() : cause.getMessage()));
    }

    /** What a value of {@code target} is written as, e.g. {@code "a list"}, for "expected ..., got: ..." messages. */
    private static String expected(Class<?> target) {
        if (target == null) {
            return "a different type";
        }
        if (target == ProtoDuration.class) {
            return "a duration string such as \"5s\"";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "a boolean";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "an integer";
        }
        if (target == Double.class || target == double.class || target == Float.class || target == float.class) {
            return "a number";
        }
        if (target == String.class || target == Base64Bytes.class || target.isEnum() || hasStringCreator(target)) {
            return "a string";
        }
        if (List.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord() || JsonNode.class.isAssignableFrom(target)) {
            return "an object";
        }
        return "a string";
    }

    /** Whether {@code target} is read from a single string: it has a {@code @JsonCreator} taking one String. */
    private static boolean hasStringCreator(Class<?> target) {
        List<Executable> creators = new ArrayList<>(List.of(target.getDeclaredConstructors()));
        for (Method method : target.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                creators.add(method);
            }
        }
        return creators.stream().anyMatch(c -> c.isAnnotationPresent(JsonCreator.class)
                && c.getParameterCount() == 1 && c.getParameterTypes()[0] == String.class);
    }

    /** A short description of a JSON value for error messages: {@code "abc"}, {@code a list}, {@code 42}. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            String s = node.asText();
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isNull()) {
            return "null";
        }
        return node.toString();
    }

    /** A YAML parser that fails on the first alias it reads, naming it and where it is. */
    private static final class AliasRefusingParser extends JsonParserDelegate {
        AliasRefusingParser(JsonParser yaml) {
            super(yaml);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = delegate.nextToken();
            if (delegate instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                JsonLocation at = delegate.currentTokenLocation();
                throw new DecodeException("", "YAML aliases are not supported (found *" + delegate.getText()
                        + " at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
            }
            return token;
        }

        /** As {@link JsonParser#nextValue()}, but through {@link #nextToken()} so that no alias slips by. */
        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken token = nextToken();
            return token == JsonToken.FIELD_NAME ? nextToken() : token;
        }
    }
}
