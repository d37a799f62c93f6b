package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

/** The DP server's answer to an {@link HttpCall}. */
public record HttpAnswer(int status, String contentType, String body) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public HttpAnswer {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("invalid status: " + status + " (expected: 100-599)");
        }
        requireNonNull(contentType, "contentType");
        requireNonNull(body, "body");
    }

    public static HttpAnswer json(int status, String body) {
        return new HttpAnswer(status, JSON, body);
    }

    public static HttpAnswer text(int status, String body) {
        return new HttpAnswer(status, TEXT, body);
    }
}
