package io.ursa.core.keys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The size of a pool of keys generated ahead, read from a system property: a number of keys, 0 for none. */
public final class PoolSizeProperty {
    private static final Logger log = LoggerFactory.getLogger(PoolSizeProperty.class);

    private PoolSizeProperty() {
    }

    /**
     * The value of system property {@code name} when it is 0 or more; {@code defaultValue} when it is not set, or (with
     * a warning naming {@code what} 0 turns off) when it is not such a number.
     */
    public static int read(String name, int defaultValue, String what) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int size = Integer.parseInt(value.strip());
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // falls through to the warning below
        }
        log.warn("ignoring invalid -D{}={} (expected: 0 to turn {} off, or the number of keys kept); keeping {}",
                name, value, what, defaultValue);
        return defaultValue;
    }
}
