package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The claims of a dataplane token as a validator reads them. Unlike {@link DataplaneIdentity}, every field may be
 * empty: each binds the proxy only when it is set.
 */
record DataplaneClaims(String name, String mesh, SortedMap<String, SortedSet<String>> tags, String type,
                       String tokenId) {
    static final String NAME = "Name";
    static final String MESH = "Mesh";
    static final String TAGS = "Tags";
    static final String TYPE = "Type";

    DataplaneClaims {
        requireNonNull(name, "name");
        requireNonNull(mesh, "mesh");
        requireNonNull(tags, "tags");
        requireNonNull(type, "type");
        requireNonNull(tokenId, "tokenId");
    }

    /** Reads the claims; a claim of the wrong JSON type is a {@link ParseException} naming it. */
    static DataplaneClaims from(JWTClaimsSet claims) throws ParseException {
        return new DataplaneClaims(text(claims, NAME), text(claims, MESH), tags(claims), text(claims, TYPE),
                claims.getJWTID() == null ? "" : claims.getJWTID());
    }

    private static String text(JWTClaimsSet claims, String name) throws ParseException {
        String value = claims.getStringClaim(name);
        return value == null ? "" : value;
    }

    private static SortedMap<String, SortedSet<String>> tags(JWTClaimsSet claims) throws ParseException {
        Map<String, Object> raw = claims.getJSONObjectClaim(TAGS);
        SortedMap<String, SortedSet<String>> tags = new TreeMap<>();
        if (raw == null) {
            return tags;
        }
        for (Map.Entry<String, Object> tag : raw.entrySet()) {
            if (tag.getValue() == null) {
                continue;
            }
            if (!(tag.getValue() instanceof List<?> values)) {
                throw new ParseException("claim " + TAGS + "[\"" + tag.getKey() + "\"] is not a list of strings", 0);
            }
            SortedSet<String> set = new TreeSet<>();
            for (Object value : values) {
                if (!(value instanceof String s)) {
                    throw new ParseException("claim " + TAGS + "[\"" + tag.getKey() + "\"] is not a list of strings",
                            0);
                }
                set.add(s);
            }
            if (!set.isEmpty()) {
                tags.put(tag.getKey(), set);
            }
        }
        return tags;
    }
}
