package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One answer of the control plane: status and body, with Kuma's error JSON (spec §8.5) made readable. {@code hint}
 * is ursactl's own advice for an error answer (empty: none), printed after the control plane's message;
 * {@code warnings} are the texts of the answer's {@code Warning} headers.
 */
record ApiResponse(String method, String url, int status, String body, String hint, List<String> warnings) {
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int NOT_FOUND = 404;

    ApiResponse {
        requireNonNull(method, "method");
        requireNonNull(url, "url");
        requireNonNull(body, "body");
        requireNonNull(hint, "hint");
        warnings = List.copyOf(warnings);
    }

    ApiResponse(String method, String url, int status, String body) {
        this(method, url, status, body, "", List.of());
    }

    ApiResponse withHint(String text) {
        return new ApiResponse(method, url, status, body, text, warnings);
    }

    /** With the texts of the answer's {@code Warning} headers ({@code 299 - "text"}), which ursactl prints. */
    ApiResponse withWarnings(List<String> headerValues) {
        return new ApiResponse(method, url, status, body, hint,
                headerValues.stream().map(ApiResponse::warningText).toList());
    }

    /** The quoted text of {@code 299 - "text"}, unescaped; the whole value when it has no quoted text. */
    static String warningText(String headerValue) {
        int open = headerValue.indexOf('"');
        int close = headerValue.lastIndexOf('"');
        if (open < 0 || close <= open) {
            return headerValue.strip();
        }
        StringBuilder text = new StringBuilder();
        for (int i = open + 1; i < close; i++) {
            char c = headerValue.charAt(i);
            if (c == '\\' && i + 1 < close) {
                c = headerValue.charAt(++i);
            }
            text.append(c);
        }
        return text.toString();
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    boolean isNotFound() {
        return status == NOT_FOUND;
    }

    /** The body as JSON; a body that is not JSON is the control plane's fault, reported as such. */
    JsonNode json() {
        try {
            JsonNode node = JsonTrees.parse(body);
            if (node == null || node.isMissingNode()) {
                throw new CtlException(method + " " + url + " answered " + status + " with an empty body (expected: JSON)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CtlException(method + " " + url + " answered " + status + " with a body that is not JSON: "
                    + abbreviate(body));
        }
    }

    /**
     * The error the way kumactl prints it: {@code <title> (<details>)} followed by one {@code * field: message}
     * line per cause. A plain-text body (405 on read-only types) is shown as it is. The hint, if any, comes last.
     */
    String errorMessage() {
        return hint.isEmpty() ? serverMessage() : serverMessage() + "\nHint: " + hint;
    }

    /** Kuma's {@code details} (or {@code title}), for a one-line reason; the status when the body has neither. */
    String reason() {
        JsonNode node;
        try {
            node = JsonTrees.parse(body);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node != null && node.isObject()) {
            for (String field : new String[] {"details", "detail", "title"}) {
                String text = JsonFields.text(node, field);
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        String text = body.strip();
        return text.isEmpty() ? "HTTP " + status : abbreviate(text);
    }

    private String serverMessage() {
        JsonNode node;
        try {
            node = JsonTrees.parse(body);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            String text = body.strip();
            return text.isEmpty() ? method + " " + url + " answered " + status : text;
        }
        String title = JsonFields.text(node, "title");
        String details = JsonFields.text(node, "details");
        if (details.isEmpty()) {
            details = JsonFields.text(node, "detail");
        }
        StringBuilder message = new StringBuilder();
        if (title.isEmpty()) {
            message.append(details.isEmpty() ? method + " " + url + " answered " + status : details);
        } else {
            message.append(title);
            if (!details.isEmpty()) {
                message.append(" (").append(details).append(')');
            }
        }
        for (JsonNode cause : JsonFields.elements(node, "causes")) {
            String field = JsonFields.text(cause, "field");
            String text = JsonFields.text(cause, "message");
            message.append("\n* ").append(field.isEmpty() ? text : field + ": " + text);
        }
        return message.toString();
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replace('\n', ' ');
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
