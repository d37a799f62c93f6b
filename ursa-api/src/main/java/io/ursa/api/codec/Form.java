package io.ursa.api.codec;

/** The two ways a resource can be written. */
public enum Form {
    /** {@code type:} / {@code name:} / {@code mesh:} with the spec inline. */
    UNIVERSAL,
    /** {@code apiVersion: kuma.io/v1alpha1}, {@code kind:}, {@code metadata:}, {@code spec:}. */
    KUBERNETES
}
