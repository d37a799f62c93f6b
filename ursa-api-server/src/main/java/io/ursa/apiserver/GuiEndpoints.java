package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.ursa.api.validation.Violation;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web GUI at {@code /gui} (Kuma's {@code :5681/gui}): static files from the jar, under
 * {@value #ROOT} on the class path, on every listener of the API (HTTP and HTTPS). {@code /gui} answers the
 * page itself; {@code /gui/<path>} a file of it, or 404 with Kuma's error JSON. The GUI is a client of the public
 * REST API and nothing else, so the files are public (no secret is in them) and every call the GUI makes is
 * authenticated and authorized as any API call. Each answer carries a strict Content-Security-Policy (scripts,
 * styles and connections from this origin only, no framing), {@code nosniff} and an {@code ETag}, and must be
 * revalidated ({@code no-cache}), so an upgraded control plane never serves a stale GUI. Files are read once and
 * kept once found. Thread-safe.
 */
final class GuiEndpoints {
    static final String ROOT = "io/ursa/apiserver/gui/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z]{2,5}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");

    private final ErrorMapper errors;
    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    GuiEndpoints(ErrorMapper errors) {
        this.errors = requireNonNull(errors, "errors");
        this.loader = GuiEndpoints.class.getClassLoader();
    }

    void addTo(Javalin app) {
        app.get("/gui", errors.guard(Titles.GUI, ctx -> serve(ctx, "index.html")));
        app.get("/gui/<path>", errors.guard(Titles.GUI, ctx -> serve(ctx, ctx.pathParam("path"))));
    }

    private void serve(Context ctx, String path) {
        Asset asset = find(path).orElseThrow(() -> ApiException.of(404, Titles.GUI, "Not found",
                new Violation("path", "the GUI has no file " + path)));
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(asset.contentType()).result(asset.bytes());
    }

    /** Files found are kept; misses are not, so that requests for made-up names cannot grow the cache. */
    private Optional<Asset> find(String path) {
        if (!SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        Asset known = cache.get(path);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Asset> loaded = load(path);
        loaded.ifPresent(asset -> cache.putIfAbsent(path, asset));
        return loaded;
    }

    private Optional<Asset> load(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(extension);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(bytes, type, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the GUI file " + path, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private record Asset(byte[] bytes, String contentType, String etag) {
    }
}
