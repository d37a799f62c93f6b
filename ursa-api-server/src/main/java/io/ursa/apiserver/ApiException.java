package io.ursa.apiserver;

import io.ursa.api.validation.Violation;
import java.util.List;
import java.util.Optional;

/**
 * A request the API refuses for a reason of its own (bad paging, a body over the limit, access denied, an unknown
 * endpoint). It becomes an {@link ApiError} under the title of the operation, unless it carries its own title.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final Optional<String> ownTitle;
    private final String details;
    private final List<Violation> causes;

    private ApiException(int status, Optional<String> ownTitle, String details, List<Violation> causes) {
        super(details + (causes.isEmpty() ? "" : ": " + causes));
        this.status = status;
        this.ownTitle = ownTitle;
        this.details = details;
        this.causes = List.copyOf(causes);
    }

    /** 400 with the given summary and causes. */
    static ApiException badRequest(String details, Violation... causes) {
        return new ApiException(400, Optional.empty(), details, List.of(causes));
    }

    /** 403 {@code Access Denied}, whatever the operation. */
    static ApiException accessDenied(String reason) {
        return new ApiException(403, Optional.of(Titles.ACCESS_DENIED), reason, List.of());
    }

    /** 413: the body is longer than {@code limit} bytes. */
    static ApiException bodyTooLarge(long limit) {
        return new ApiException(413, Optional.empty(), "Request body is too large",
                List.of(new Violation("", "the body is larger than the limit of " + limit + " bytes")));
    }

    /** An error with its own title, for requests that match no operation (unknown endpoint, method). */
    static ApiException of(int status, String title, String details, Violation... causes) {
        return new ApiException(status, Optional.of(title), details, List.of(causes));
    }

    ApiError toError(String operationTitle) {
        return new ApiError(status, ownTitle.orElse(operationTitle), details, causes);
    }
}
