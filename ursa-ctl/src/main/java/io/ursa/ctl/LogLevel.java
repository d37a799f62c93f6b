package io.ursa.ctl;

/** {@code --log-level}: {@code debug} traces every request to the control plane on stderr. */
enum LogLevel {
    OFF,
    INFO,
    DEBUG
}
