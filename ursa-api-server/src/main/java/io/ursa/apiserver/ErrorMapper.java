package io.ursa.apiserver;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.validation.ValidationException;
import io.ursa.api.validation.Violation;
import io.ursa.core.manager.MeshNotFoundException;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.StoreUnavailableException;
import io.ursa.core.tokens.SigningKeyNotFoundException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers (spec §8.5, with 409 for conflicts instead of Kuma 2.0's 500).
 * A client mistake is always a 4xx; anything unexpected is a 500 with a JSON body, logged with its request.
 * Stateless and thread-safe.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    static final String NOT_VALID = "Resource is not valid";

    /** Runs {@code handler}; whatever it throws is answered as an error of operation {@code title}. */
    Handler guard(String title, Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                respond(ctx, title, e);
            }
        };
    }

    void respond(Context ctx, String title, Throwable failure) {
        ApiError error = map(title, failure);
        if (failure instanceof StoreUnavailableException) {
            // expected while the database is away, once per request: the reason without a stack trace
            log.warn("request failed: method={} path={} status={} reason={}", ctx.method(), ctx.path(),
                    error.status(), failure.getMessage());
        } else if (error.status() >= 500) {
            log.error("request failed: method={} path={} status={}", ctx.method(), ctx.path(), error.status(),
                    failure);
        } else {
            log.debug("request refused: method={} path={} status={} reason={}", ctx.method(), ctx.path(),
                    error.status(), failure.getMessage());
        }
        Responses.json(ctx, error.status(), error.toJson());
    }

    ApiError map(String title, Throwable failure) {
        if (failure instanceof ApiException e) {
            return e.toError(title);
        }
        if (failure instanceof ValidationException e) {
            return new ApiError(400, title, NOT_VALID, e.violations());
        }
        if (failure instanceof DecodeException e) {
            return new ApiError(400, title, NOT_VALID, e.violations());
        }
        if (failure instanceof MeshNotFoundException e) {
            return new ApiError(400, title, "Mesh is not found", List.of(new Violation("mesh", e.getMessage())));
        }
        if (failure instanceof NotFoundException) {
            return new ApiError(404, title, "Not found", List.of());
        }
        if (failure instanceof AlreadyExistsException e) {
            return new ApiError(409, title, "Conflict", List.of(new Violation("name", e.getMessage())));
        }
        if (failure instanceof ConflictException e) {
            return new ApiError(409, title, "Conflict", List.of(new Violation("", e.getMessage()
                    + "; read it again and retry")));
        }
        if (failure instanceof SigningKeyNotFoundException e) {
            return new ApiError(404, "Signing Key not found", e.getMessage(), List.of());
        }
        if (failure instanceof StoreUnavailableException e) {
            // what could not be done where, e.g. "could not create Mesh demo in PostgreSQL ursa at db:5432: ...":
            // the store's messages never hold credentials (docs/postgres-store.md)
            return new ApiError(503, title, e.getMessage() == null ? "Service Unavailable" : e.getMessage(),
                    List.of());
        }
        return new ApiError(500, title, "Internal Server Error", List.of());
    }
}
