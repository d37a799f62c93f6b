package io.ursa.ctl;

/** What {@code apply} does with a field the resource type does not know. */
enum UnknownFieldMode {
    /** Print a warning and apply the rest, as the control plane does (the default). */
    WARN,
    /** Refuse the whole apply before anything is sent ({@code --strict}). */
    REFUSE
}
