package io.ursa.ctl;

import static io.ursa.ctl.JsonFields.instant;
import static io.ursa.ctl.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The xDS cells Ursa adds to kumactl's {@code inspect dataplanes} table, from one subscription of a
 * DataplaneInsight ({@code status.<type>.lastAckedVersion} and {@code .lastRejection}, Ursa's extensions): the
 * versions the proxy acknowledged last, and the newest rejection. {@code -} when there is nothing to show.
 */
final class XdsStatusCells {
    /** The types of a subscription's status, in xDS order. */
    static final List<String> TYPES = List.of("cds", "eds", "lds", "rds", "sds");
    /** Characters of a version shown: enough to tell two content hashes apart at a glance. */
    static final int VERSION_PREFIX = 8;
    /** Characters of a rejection's error shown, before {@code ...}. */
    static final int ERROR_LENGTH = 100;

    private XdsStatusCells() {
    }

    /** {@code cds=1a2b3c4d lds=5e6f7a8b}: each type's last acknowledged version, shortened. */
    static String ackedVersions(JsonNode subscription) {
        List<String> parts = new ArrayList<>();
        for (String type : TYPES) {
            String version = text(subscription, "status", type, "lastAckedVersion");
            if (!version.isEmpty()) {
                parts.add(type + "=" + shorten(version, VERSION_PREFIX, ""));
            }
        }
        return Texts.orDash(String.join(" ", parts));
    }

    /** {@code lds: <error>} of the newest rejection of any type, on one line and shortened. */
    static String lastRejection(JsonNode subscription) {
        String cell = "-";
        Instant newest = null;
        for (String type : TYPES) {
            JsonNode rejection = subscription.path("status").path(type).path("lastRejection");
            Instant time = instant(rejection, "time").orElse(Instant.MIN);
            if (rejection.isObject() && (newest == null || time.isAfter(newest))) {
                String error = text(rejection, "error").strip().replaceAll("\\s+", " ");
                cell = type + ": " + shorten(error.isEmpty() ? "(no error text)" : error, ERROR_LENGTH, "...");
                newest = time;
            }
        }
        return cell;
    }

    private static String shorten(String text, int length, String ellipsis) {
        return text.length() <= length ? text : text.substring(0, length) + ellipsis;
    }
}
