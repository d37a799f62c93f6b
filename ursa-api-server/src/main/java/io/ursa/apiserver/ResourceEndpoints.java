package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.access.Access;
import io.ursa.api.codec.Decoded;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.ResourceDocument;
import io.ursa.api.codec.UnknownField;
import io.ursa.api.mesh.GoQuote;
import io.ursa.api.policy.WriteWarnings;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.NameRules;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.manager.UpsertResult;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.ResourcePage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Generic CRUD for every type of the registry (spec §8.2, §8.4): global types at {@code /{ws}} and
 * {@code /{ws}/{name}}; mesh-scoped types at {@code /meshes/{mesh}/{ws}[/{name}]}, plus {@code /{ws}} across all
 * meshes. A single resource can be asked for as YAML or in Kubernetes form ({@link ResourceForm}). PUT creates (201) or replaces the spec (200), answers {@code {}} and the new {@code ETag}; DELETE answers
 * {@code {}}. A PUT with warnings (fields of the body that no part of the type knows, which are dropped as Kuma
 * drops them, at most {@link UnknownField#MAX_WARNINGS} worded one by one; a policy or Mesh field not applied yet)
 * still succeeds, sends each as a {@code Warning: 299} header and answers {@code {"warnings": [...]}} with the
 * same texts, the shape later Kuma 2.x versions answer. Writes need a role that allows them (CREATE for a new
 * resource, UPDATE for an existing one, DELETE), checked after the body was read and matched to the URL, as Kuma
 * does; reads of Secrets and GlobalSecrets need a role that may write them (see {@link AccessChecks}). Stateless
 * and thread-safe.
 */
final class ResourceEndpoints {
    private final ResourceManager manager;
    private final ResourceTypes types;
    private final ResourceCodec codec;
    private final RequestBody body;
    private final AccessChecks access;
    private final ErrorMapper errors;
    private final boolean readOnly;
    private final MeshScope meshFromPath;

    ResourceEndpoints(ResourceManager manager, ResourceTypes types, ResourceCodec codec, RequestBody body,
                      AccessChecks access, ErrorMapper errors, ApiServerConfig config) {
        this.manager = requireNonNull(manager, "manager");
        this.types = requireNonNull(types, "types");
        this.codec = requireNonNull(codec, "codec");
        this.body = requireNonNull(body, "body");
        this.access = requireNonNull(access, "access");
        this.errors = requireNonNull(errors, "errors");
        this.readOnly = config.readOnly();
        this.meshFromPath = MeshScope.fromPath(manager);
    }

    void addTo(Javalin app) {
        for (ResourceType<?> type : types.all()) {
            String collection = "/" + type.wsPath();
            app.get(collection, errors.guard(Titles.LIST, ctx -> list(ctx, type, MeshScope.allMeshes())));
            if (type.isMeshScoped()) {
                String inMesh = "/meshes/{mesh}/" + type.wsPath();
                app.get(inMesh, errors.guard(Titles.LIST, ctx -> list(ctx, type, meshFromPath)));
                addItemRoutes(app, type, inMesh + "/{name}");
            } else {
                addItemRoutes(app, type, collection + "/{name}");
            }
        }
    }

    private void addItemRoutes(Javalin app, ResourceType<?> type, String path) {
        app.get(path, errors.guard(Titles.GET_ONE, ctx -> getOne(ctx, type)));
        if (readOnly) {
            app.put(path, ReadOnlyMode::refuse);
            app.delete(path, ReadOnlyMode::refuse);
        } else {
            app.put(path, ctx -> put(ctx, type));
            app.delete(path, errors.guard(Titles.DELETE, ctx -> delete(ctx, type)));
        }
    }

    private void list(Context ctx, ResourceType<?> type, MeshScope scope) {
        Page page = Page.of(ctx);
        String mesh = scope.resolve(ctx);
        access.requireRead(ctx, type, mesh, "");
        String nameContains = Optional.ofNullable(ctx.queryParam("name")).orElse("");
        ResourcePage<?> result = manager.list(type, new ListQuery(mesh, nameContains, page.offset(), page.size()));
        List<ObjectNode> items = result.items().stream().map(codec::toUniversal).toList();
        ListResponse.write(ctx, page, items, result.total());
    }

    private void getOne(Context ctx, ResourceType<?> type) {
        String mesh = meshOf(ctx, type);
        String name = ctx.pathParam("name");
        ResourceForm form = ResourceForm.of(ctx);
        access.requireRead(ctx, type, mesh, name);
        Resource<?> resource = manager.get(type, mesh, name)
                .orElseThrow(() -> new NotFoundException(new ResourceKey(type, mesh, name)));
        ctx.header("ETag", IfMatch.etagOf(resource));
        form.write(ctx, codec, resource);
    }

    private <S extends Spec> void put(Context ctx, ResourceType<S> type) {
        String title = Titles.PROCESS;
        try {
            String mesh = type.isMeshScoped() ? ctx.pathParam("mesh") : "";
            String name = ctx.pathParam("name");
            IfMatch ifMatch = IfMatch.parse(ctx.header(IfMatch.HEADER));
            ResourceDocument doc = codec.parseDocument(body.document(ctx));
            checkAgainstUrl(type, mesh, name, doc);
            Decoded<S> decoded = codec.toResourceReporting(type, doc);
            S spec = decoded.resource().spec();

            Optional<Resource<S>> current = manager.get(type, mesh, name);
            title = current.isPresent() ? Titles.UPDATE : Titles.CREATE;
            access.requireWrite(ctx, current.isPresent() ? Access.UPDATE : Access.CREATE, type, mesh, name);
            OptionalLong expectedVersion = ifMatch.expectedVersion(current);
            List<String> warnings = new ArrayList<>(UnknownField.warnings(type.name(), name, decoded.unknownFields()));
            warnings.addAll(WriteWarnings.of(type.name(), name, spec));
            if ("true".equals(ctx.queryParam("dryRun"))) {
                // everything a write checks, nothing written: 200 with what the write would do
                UpsertResult.Outcome outcome = manager.checkUpsert(type, mesh, name, spec, expectedVersion);
                warnings.forEach(warning -> ctx.res().addHeader("Warning", "299 - " + GoQuote.quote(warning)));
                Responses.dryRun(ctx, outcome.word(), warnings);
                return;
            }
            UpsertResult<S> result = manager.upsert(type, mesh, name, spec, expectedVersion);
            ctx.header("ETag", IfMatch.etagOf(result.resource()));
            // RFC 7234 §5.5 warn-code 299 ("miscellaneous persistent warning"), as the Kubernetes API sends them
            warnings.forEach(warning -> ctx.res().addHeader("Warning", "299 - " + GoQuote.quote(warning)));
            Responses.written(ctx, result.outcome(), warnings);
        } catch (Exception e) {
            errors.respond(ctx, title, e);
        }
    }

    /** Spec §8.4 step 2: the body must name the resource of the URL; every mismatch is reported at once. */
    private static void checkAgainstUrl(ResourceType<?> type, String mesh, String name, ResourceDocument doc) {
        Violations violations = new Violations();
        if (!name.equals(doc.name())) {
            violations.add(Path.of("name"), "name from the URL has to be the same as in body");
        }
        if (!type.name().equals(doc.type())) {
            violations.add(Path.of("type"), "type from the URL has to be the same as in body");
        }
        if (type.isMeshScoped() && !mesh.equals(doc.mesh())) {
            violations.add(Path.of("mesh"), "mesh from the URL has to be the same as in body");
        }
        NameRules.validate(type, mesh, name, violations);
        violations.throwIfAny();
    }

    private void delete(Context ctx, ResourceType<?> type) {
        String mesh = meshOf(ctx, type);
        String name = ctx.pathParam("name");
        access.requireWrite(ctx, Access.DELETE, type, mesh, name);
        manager.delete(type, mesh, name);
        Responses.emptyObject(ctx, 200);
    }

    private String meshOf(Context ctx, ResourceType<?> type) {
        return type.isMeshScoped() ? meshFromPath.resolve(ctx) : "";
    }
}
