/**
 * Dataplane tokens (Kuma 2.0 spec §10.3): {@link io.ursa.core.tokens.DataplaneTokenIssuer} signs a token for a
 * {@link io.ursa.core.tokens.DataplaneIdentity} with its mesh's latest signing key (the Secret
 * {@code dataplane-token-signing-key-<mesh>-<serial>} every mesh gets), and
 * {@link io.ursa.core.tokens.DataplaneTokenValidator} checks the token a proxy presents on its xDS stream,
 * failing with {@link io.ursa.core.tokens.InvalidDataplaneTokenException}. A mesh without a signing key is a
 * {@link io.ursa.core.tokens.SigningKeyNotFoundException} when issuing.
 */
package io.ursa.core.tokens;
