package io.ursa.core.config;

/** The configuration cannot be used: a file that does not parse, an unknown key, a value of the wrong type. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
