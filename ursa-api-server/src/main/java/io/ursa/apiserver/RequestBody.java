package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Reads a request body that holds one resource, as JSON or YAML, never more than the configured number of bytes.
 * YAML is chosen by a {@code Content-Type} naming YAML, or by a body that does not start with {@code {};
 * everything else is JSON. Parse failures are {@link DecodeException}s, an oversized body is a 413. YAML aliases
 * are refused (see {@link #rejectAliases}).
 * Stateless and thread-safe.
 */
final class RequestBody {
    private final ResourceCodec codec;
    private final long maxBytes;

    RequestBody(ResourceCodec codec, long maxBytes) {
        this.codec = requireNonNull(codec, "codec");
        this.maxBytes = maxBytes;
    }

    /** The one document in the body. */
    JsonNode document(Context ctx) throws IOException {
        String text = read(ctx);
        if (isYaml(ctx.contentType(), text)) {
            List<JsonNode> docs = codec.parseYamlDocuments(text);
            if (docs.size() != 1) {
                throw new DecodeException("", docs.isEmpty() ? "the body is empty (expected: one resource)"
                        : "the body holds " + docs.size() + " documents (expected: one resource)");
            }
            return docs.get(0);
        }
        return codec.parseJson(text);
    }

    private String read(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw ApiException.bodyTooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw ApiException.bodyTooLarge(maxBytes);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static boolean isYaml(String contentType, String text) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml")) {
            return true;
        }
        String trimmed = text.stripLeading();
        return !trimmed.isEmpty() && trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[';
    }
}
