/**
 * Tokens, RS256 JWTs whose {@code kid} is the serial of the key that signed them ({@code SignedTokens}, over the
 * keys and revocation list of a {@code SigningKeyScope}):
 * <ul>
 *   <li>Dataplane tokens (Kuma 2.0 spec §10.3): {@link io.ursa.core.tokens.DataplaneTokenIssuer} signs a token for
 *       a {@link io.ursa.core.tokens.DataplaneIdentity} with its mesh's latest signing key (the Secret
 *       {@code dataplane-token-signing-key-<mesh>-<serial>} every mesh gets), and
 *       {@link io.ursa.core.tokens.DataplaneTokenValidator} checks the token a proxy presents on its xDS stream,
 *       failing with {@link io.ursa.core.tokens.InvalidDataplaneTokenException}.</li>
 *   <li>User tokens: {@link io.ursa.core.tokens.UserTokenIssuer} signs a token for a
 *       {@link io.ursa.core.access.User} with the latest GlobalSecret {@code user-token-signing-key-<serial>},
 *       {@link io.ursa.core.tokens.UserTokenValidator} checks the one an API caller presents, failing with
 *       {@link io.ursa.core.tokens.InvalidUserTokenException}, and {@link io.ursa.core.tokens.UserTokens} creates
 *       the first signing key and the bootstrap admin token at start.</li>
 *   <li>Zone tokens (Kuma's {@code pkg/tokens/builtin/zone}): {@link io.ursa.core.tokens.ZoneTokenIssuer} signs a
 *       token bound to a zone and scopes ({@code egress}, {@code ingress}) with the latest GlobalSecret
 *       {@code zone-token-signing-key-<serial>}, {@link io.ursa.core.tokens.ZoneTokenValidator} checks the one a
 *       zone egress presents, failing with {@link io.ursa.core.tokens.InvalidZoneTokenException}, and
 *       {@link io.ursa.core.tokens.ZoneTokens} creates the first signing key at start.</li>
 * </ul>
 * Issuing without a signing key is a {@link io.ursa.core.tokens.SigningKeyNotFoundException}.
 */
package io.ursa.core.tokens;
