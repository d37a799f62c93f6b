package io.ursa.xds.vips;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The VIP of every {@link VipEntry} of one mesh: distinct IPv4 addresses of {@link VipAllocator#CIDR}. Immutable.
 * Its JSON form, {@code {"service:api": "240.17.3.9", "host:api.v1.mesh": "..."}} with keys sorted, is what
 * {@link VipRecords} stores and what the mesh context's content hash covers.
 *
 * @param vips the address of each entry
 */
public record VipTable(SortedMap<VipEntry, String> vips) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final VipTable EMPTY = new VipTable(new TreeMap<>());

    public VipTable {
        requireNonNull(vips, "vips");
        Map<String, VipEntry> byAddress = new HashMap<>();
        for (Map.Entry<VipEntry, String> e : vips.entrySet()) {
            VipAllocator.checkInRange(e.getValue());
            VipEntry other = byAddress.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new IllegalArgumentException("VIP " + e.getValue() + " is given to both " + other.key()
                        + " and " + e.getKey().key() + " (expected: one VIP per entry)");
            }
        }
        vips = Collections.unmodifiableSortedMap(new TreeMap<>(vips));
    }

    public static VipTable empty() {
        return EMPTY;
    }

    /** The VIP of {@code entry}, when it has one. */
    public Optional<String> vip(VipEntry entry) {
        return Optional.ofNullable(vips.get(requireNonNull(entry, "entry")));
    }

    public boolean isEmpty() {
        return vips.isEmpty();
    }

    /** The table as JSON, keys sorted: the stored form and the content-hash input. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        vips.forEach((entry, vip) -> root.put(entry.key(), vip));
        return root.toString();
    }

    /**
     * The table {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException naming what is wrong when {@code json} is not such a table
     */
    public static VipTable fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid VIP table: not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("invalid VIP table: " + json + " (expected: a JSON object of "
                    + "entry: address)");
        }
        SortedMap<VipEntry, String> vips = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new IllegalArgumentException("invalid VIP table: the VIP of " + field.getKey() + " is "
                        + field.getValue() + " (expected: an IPv4 address as a string)");
            }
            vips.put(VipEntry.parse(field.getKey()), field.getValue().asText());
        }
        return new VipTable(vips);
    }
}
