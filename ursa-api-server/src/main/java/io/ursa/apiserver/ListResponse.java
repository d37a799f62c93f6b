package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Kuma's list body {@code {"total","items","next"}} (spec §8.3, §8.6). {@code next} is an absolute URL built from
 * the request's scheme, {@code Host} header and path, with the query re-encoded in alphabetical key order (as Go's
 * {@code url.Values.Encode} does) and {@code offset} replaced; it is {@code null} on the last page.
 */
final class ListResponse {
    private ListResponse() {
    }

    static void write(Context ctx, Page page, List<? extends JsonNode> items, long total) {
        ObjectNode body = Json.json().createObjectNode();
        body.put("total", total);
        ArrayNode array = body.putArray("items");
        items.forEach(array::add);
        OptionalInt next = page.nextOffset(total);
        if (next.isPresent()) {
            body.put("next", nextLink(ctx, next.getAsInt()));
        } else {
            body.putNull("next");
        }
        Responses.json(ctx, 200, body);
    }

    static String nextLink(Context ctx, int nextOffset) {
        Map<String, List<String>> query = new TreeMap<>(ctx.queryParamMap());
        query.put("offset", List.of(Integer.toString(nextOffset)));
        List<String> pairs = new ArrayList<>();
        query.forEach((key, values) -> values.forEach(v -> pairs.add(queryEscape(key) + "=" + queryEscape(v))));
        String host = ctx.host() != null ? ctx.host() : ctx.req().getServerName() + ":" + ctx.req().getServerPort();
        return ctx.scheme() + "://" + host + ctx.req().getRequestURI() + "?" + String.join("&", pairs);
    }

    /** Go's {@code url.QueryEscape}: letters, digits and {@code -_.~} stay, space becomes {@code +}. */
    static String queryEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
