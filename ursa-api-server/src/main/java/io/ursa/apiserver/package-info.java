/**
 * Ursa's Kuma-compatible REST API. {@link io.ursa.apiserver.ApiServer} is the entry point; it is configured with an
 * {@link io.ursa.apiserver.ApiServerConfig} and learns about dataplane connections through
 * {@link io.ursa.apiserver.DataplaneInsights}. Everything else is package-private: endpoint classes per concern
 * ({@code ResourceEndpoints}, {@code DataplaneOverviewEndpoints}, {@code InsightEndpoints} with
 * {@code MeshCaInsight}, {@code IndexEndpoints}, {@code TokenEndpoints}, {@code ControlPlaneEndpoints},
 * {@code UnknownEndpoints}), paging ({@code Page}, {@code ListResponse}), request bodies ({@code RequestBody},
 * {@code DataplaneTokenRequest}, {@code UserTokenRequest}), who may do what ({@code Authentication} with
 * {@code LoopbackAdmin}, {@code AccessChecks}, {@code AuditLog}, {@code Cors}), listeners ({@code Listeners},
 * {@code PemKeyStore}, {@code TimedHttpConnectionFactory} with {@code Deadline}) and the one error mapping
 * ({@code ErrorMapper}, {@code JsonErrorPages}).
 */
package io.ursa.apiserver;
