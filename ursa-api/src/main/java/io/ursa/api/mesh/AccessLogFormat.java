package io.ursa.api.mesh;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates an Envoy access-log format string the way Kuma 2.0 does ({@code pkg/envoy/accesslog/v3}
 * {@code format_parser.go}): text, and command operators {@code %NAME%}, {@code %NAME(args)%},
 * {@code %NAME(args):N%}. {@code REQ}, {@code RESP}, {@code TRAILER}, {@code DYNAMIC_METADATA},
 * {@code FILTER_STATE} and {@code START_TIME} check their arguments; every other upper-case name, Kuma's
 * placeholders ({@code %KUMA_MESH%}, {@code %KUMA_SOURCE_SERVICE%}, ...) included, is a plain field that takes
 * none. Like Kuma 2.0 (and unlike Envoy), {@code %%} is not an escape: it is rejected.
 */
final class AccessLogFormat {
    private static final Pattern COMMAND = Pattern.compile("%([A-Z_0-9]+)(?:\\(([^)]*)\\))?(?::([0-9]+))?%");
    private static final Pattern HEADER_NEWLINE = Pattern.compile("[\\x00\\r\\n]");
    private static final Pattern START_TIME_NEWLINE = Pattern.compile("%[-_0^#]*[1-9]*n");
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "REQ", "%REQ(X?Y):Z%",
            "RESP", "%RESP(X?Y):Z%",
            "TRAILER", "%TRAILER(X?Y):Z%",
            "DYNAMIC_METADATA", "%DYNAMIC_METADATA(NAMESPACE:KEY*):Z%",
            "FILTER_STATE", "%FILTER_STATE(KEY):Z%",
            "GRPC_STATUS", "%CMD_GRPC_STATUS%");

    private AccessLogFormat() {
    }

    /** Empty when {@code format} is valid, otherwise Kuma's message {@code format string is not valid: ...}. */
    static Optional<String> validate(String format) {
        Matcher m = COMMAND.matcher(format);
        for (int pos = format.indexOf('%'); pos >= 0; pos = format.indexOf('%', pos)) {
            if (!m.region(pos, format.length()).lookingAt()) {
                return invalid("expected a command operator to start at position " + bytePosition(format, pos)
                        + ", instead got: " + GoQuote.quote(format.substring(pos)));
            }
            Optional<String> error = checkOperator(new Operator(m.group(), m.group(1), group(m, 2), group(m, 3)));
            if (error.isPresent()) {
                return invalid(error.get());
            }
            pos = m.end();
        }
        return Optional.empty();
    }

    private static Optional<String> checkOperator(Operator op) {
        return switch (op.command) {
            case "REQ", "RESP", "TRAILER" -> checkHeaderOperator(op);
            case "DYNAMIC_METADATA" -> op.limitError().or(() -> op.hasNoArguments()
                    ? Optional.of("command " + op.descriptor() + " requires a filter namespace and optional path as "
                            + "its arguments, instead got " + GoQuote.quote(op.token))
                    : Optional.empty());
            case "FILTER_STATE" -> op.limitError().or(() -> op.hasNoArguments() || op.args.isEmpty()
                    ? Optional.of("command " + op.descriptor() + " requires a key as its argument, instead got "
                            + GoQuote.quote(op.token))
                    : Optional.empty());
            case "START_TIME" -> START_TIME_NEWLINE.matcher(op.args).find()
                    ? Optional.of("start time format string contains a newline in " + GoQuote.quote(op.token))
                    : Optional.empty();
            default -> op.inner().equals(op.command) ? Optional.empty()
                    : Optional.of("command " + op.descriptor() + " doesn't support arguments or max length "
                            + "constraint, instead got " + GoQuote.quote(op.token));
        };
    }

    private static Optional<String> checkHeaderOperator(Operator op) {
        if (op.hasNoArguments()) {
            return Optional.of("command " + op.descriptor() + " requires a header and optional alternative header "
                    + "names as its arguments, instead got " + GoQuote.quote(op.token));
        }
        Optional<String> limitError = op.limitError();
        if (limitError.isPresent()) {
            return limitError;
        }
        String[] headers = op.args.split("\\?", -1);
        if (headers.length > 2) {
            return Optional.of("more than 1 alternative header specified in " + GoQuote.quote(op.token));
        }
        if (HEADER_NEWLINE.matcher(op.args).find()) {
            return Optional.of("header name contains a newline in " + GoQuote.quote(op.token));
        }
        return Optional.empty();
    }

    private static Optional<String> invalid(String reason) {
        return Optional.of("format string is not valid: " + reason);
    }

    private static String group(Matcher m, int group) {
        String value = m.group(group);
        return value == null ? "" : value;
    }

    /** Kuma counts positions in bytes of UTF-8, from 1. */
    private static int bytePosition(String format, int index) {
        return format.substring(0, index).getBytes(StandardCharsets.UTF_8).length + 1;
    }

    /** One matched command operator: the whole token, e.g. {@code %REQ(a?b):10%}, and its parts. */
    private record Operator(String token, String command, String args, String limit) {
        /** The token without its enclosing '%'. */
        String inner() {
            return token.substring(1, token.length() - 1);
        }

        /** No parentheses at all ({@code %REQ%}, {@code %REQ:10%}); {@code %REQ()%} has (empty) arguments. */
        boolean hasNoArguments() {
            String inner = inner();
            String withoutLimit = limit.isEmpty() ? inner : inner.substring(0, inner.length() - limit.length() - 1);
            return args.isEmpty() && withoutLimit.equals(command);
        }

        Optional<String> limitError() {
            if (limit.isEmpty()) {
                return Optional.empty();
            }
            try {
                Long.parseLong(limit);
                return Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.of("length must be an integer, instead got " + GoQuote.quote(limit) + " in "
                        + GoQuote.quote(token));
            }
        }

        /** How Kuma names the command in messages, already quoted. */
        String descriptor() {
            return GoQuote.quote(DESCRIPTORS.getOrDefault(command, "%" + command + "%"));
        }
    }
}
