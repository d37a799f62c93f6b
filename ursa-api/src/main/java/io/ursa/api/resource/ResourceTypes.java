package io.ursa.api.resource;

import io.ursa.api.access.AccessAuditSpec;
import io.ursa.api.access.AccessRoleBindingSpec;
import io.ursa.api.access.AccessRoleSpec;
import io.ursa.api.access.AccessValidation;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.DataplaneValidator;
import io.ursa.api.gateway.MeshGatewayRouteSpec;
import io.ursa.api.gateway.MeshGatewayRouteValidator;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.gateway.MeshGatewayValidator;
import io.ursa.api.mesh.MeshDefaulter;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.MeshValidator;
import io.ursa.api.policy.TrafficPermissionSpec;
import io.ursa.api.policy.TrafficPermissionValidator;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.policy.TrafficRouteValidator;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TimeoutValidator;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.CircuitBreakerValidator;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.RetryValidator;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.policy.HealthCheckValidator;
import io.ursa.api.policy.FaultInjectionSpec;
import io.ursa.api.policy.FaultInjectionValidator;
import io.ursa.api.policy.TrafficLogSpec;
import io.ursa.api.policy.TrafficLogValidator;
import io.ursa.api.policy.TrafficTraceSpec;
import io.ursa.api.policy.TrafficTraceValidator;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.policy.RateLimitValidator;
import io.ursa.api.policy.ProxyTemplateSpec;
import io.ursa.api.policy.ProxyTemplateValidator;
import io.ursa.api.policy.ExternalServiceSpec;
import io.ursa.api.policy.ExternalServiceValidator;
import io.ursa.api.policy.VirtualOutboundSpec;
import io.ursa.api.policy.VirtualOutboundValidator;
import io.ursa.api.secret.SecretSpec;
import io.ursa.api.secret.SecretValidator;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.api.zoneegress.ZoneEgressValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry: every resource type Ursa knows, declared once, in the order they are listed to users.
 * REST endpoints, CLI subcommands, stores and insights enumerate it.
 */
public final class ResourceTypes {
    public static final ResourceType<MeshSpec> MESH = ResourceType.builder("Mesh", MeshSpec.class)
            .scope(Scope.GLOBAL).wsPath("meshes").cli("mesh", "meshes").displayNames("Mesh", "Meshes")
            .validator(MeshValidator::validate).defaulter(MeshDefaulter::apply).build();

    public static final ResourceType<DataplaneSpec> DATAPLANE = ResourceType.builder("Dataplane", DataplaneSpec.class)
            .wsPath("dataplanes").cli("dataplane", "dataplanes").displayNames("Dataplane", "Dataplanes")
            .validator(DataplaneValidator::validate).build();

    public static final ResourceType<SecretSpec> SECRET = ResourceType.builder("Secret", SecretSpec.class)
            .wsPath("secrets").cli("secret", "secrets").displayNames("Secret", "Secrets")
            .validator(SecretValidator::validate).trait(Trait.ADMIN_ONLY).build();

    /** A secret of the control plane itself, outside every mesh (signing keys of user tokens, its own TLS). */
    public static final ResourceType<SecretSpec> GLOBAL_SECRET = ResourceType.builder("GlobalSecret", SecretSpec.class)
            .scope(Scope.GLOBAL).wsPath("global-secrets").cli("global-secret", "global-secrets")
            .displayNames("Global Secret", "Global Secrets")
            .validator(SecretValidator::validate).trait(Trait.ADMIN_ONLY).build();

    public static final ResourceType<TrafficPermissionSpec> TRAFFIC_PERMISSION = ResourceType.builder("TrafficPermission", TrafficPermissionSpec.class)
            .wsPath("traffic-permissions").cli("traffic-permission", "traffic-permissions").displayNames("Traffic Permission", "Traffic Permissions")
            .validator(TrafficPermissionValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<TrafficRouteSpec> TRAFFIC_ROUTE = ResourceType.builder("TrafficRoute", TrafficRouteSpec.class)
            .wsPath("traffic-routes").cli("traffic-route", "traffic-routes").displayNames("Traffic Route", "Traffic Routes")
            .validator(TrafficRouteValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<TimeoutSpec> TIMEOUT = ResourceType.builder("Timeout", TimeoutSpec.class)
            .wsPath("timeouts").cli("timeout", "timeouts").displayNames("Timeout", "Timeouts")
            .validator(TimeoutValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<CircuitBreakerSpec> CIRCUIT_BREAKER = ResourceType.builder("CircuitBreaker", CircuitBreakerSpec.class)
            .wsPath("circuit-breakers").cli("circuit-breaker", "circuit-breakers").displayNames("Circuit Breaker", "Circuit Breakers")
            .validator(CircuitBreakerValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<RetrySpec> RETRY = ResourceType.builder("Retry", RetrySpec.class)
            .wsPath("retries").cli("retry", "retries").displayNames("Retry", "Retries")
            .validator(RetryValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<HealthCheckSpec> HEALTH_CHECK = ResourceType.builder("HealthCheck", HealthCheckSpec.class)
            .wsPath("health-checks").cli("healthcheck", "healthchecks").displayNames("Health Check", "Health Checks")
            .validator(HealthCheckValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<FaultInjectionSpec> FAULT_INJECTION = ResourceType.builder("FaultInjection", FaultInjectionSpec.class)
            .wsPath("fault-injections").cli("fault-injection", "fault-injections").displayNames("Fault Injection", "Fault Injections")
            .validator(FaultInjectionValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<TrafficLogSpec> TRAFFIC_LOG = ResourceType.builder("TrafficLog", TrafficLogSpec.class)
            .wsPath("traffic-logs").cli("traffic-log", "traffic-logs").displayNames("Traffic Log", "Traffic Logs")
            .validator(TrafficLogValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<TrafficTraceSpec> TRAFFIC_TRACE = ResourceType.builder("TrafficTrace", TrafficTraceSpec.class)
            .wsPath("traffic-traces").cli("traffic-trace", "traffic-traces").displayNames("Traffic Trace", "Traffic Traces")
            .validator(TrafficTraceValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<RateLimitSpec> RATE_LIMIT = ResourceType.builder("RateLimit", RateLimitSpec.class)
            .wsPath("rate-limits").cli("rate-limit", "rate-limits").displayNames("Rate Limit", "Rate Limits")
            .validator(RateLimitValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<ProxyTemplateSpec> PROXY_TEMPLATE = ResourceType.builder("ProxyTemplate", ProxyTemplateSpec.class)
            .wsPath("proxytemplates").cli("proxytemplate", "proxytemplates").displayNames("Proxy Template", "Proxy Templates")
            .validator(ProxyTemplateValidator::validate).trait(Trait.POLICY).trait(Trait.INSPECTABLE).build();

    public static final ResourceType<ExternalServiceSpec> EXTERNAL_SERVICE = ResourceType.builder("ExternalService", ExternalServiceSpec.class)
            .wsPath("external-services").cli("external-service", "external-services").displayNames("External Service", "External Services")
            .validator(ExternalServiceValidator::validate).trait(Trait.POLICY).build();

    public static final ResourceType<VirtualOutboundSpec> VIRTUAL_OUTBOUND = ResourceType.builder("VirtualOutbound", VirtualOutboundSpec.class)
            .wsPath("virtual-outbounds").cli("virtual-outbound", "virtual-outbounds").displayNames("Virtual Outbound", "Virtual Outbounds")
            .validator(VirtualOutboundValidator::validate).trait(Trait.POLICY).build();

    /** The listeners of builtin gateway proxies (Dataplanes with {@code networking.gateway.type: BUILTIN}). */
    public static final ResourceType<MeshGatewaySpec> MESH_GATEWAY = ResourceType.builder("MeshGateway", MeshGatewaySpec.class)
            .wsPath("meshgateways").cli("meshgateway", "meshgateways").displayNames("Mesh Gateway", "Mesh Gateways")
            .validator(MeshGatewayValidator::validate).trait(Trait.POLICY).trait(Trait.EXPERIMENTAL).build();

    /** HTTP and TCP routes of MeshGateway listeners. */
    public static final ResourceType<MeshGatewayRouteSpec> MESH_GATEWAY_ROUTE = ResourceType.builder("MeshGatewayRoute", MeshGatewayRouteSpec.class)
            .wsPath("meshgatewayroutes").cli("meshgatewayroute", "meshgatewayroutes")
            .displayNames("Mesh Gateway Route", "Mesh Gateway Routes")
            .validator(MeshGatewayRouteValidator::validate).trait(Trait.POLICY).trait(Trait.EXPERIMENTAL).build();

    /** A zone egress proxy: global, it serves every mesh with {@code routing.zoneEgress: true}. */
    public static final ResourceType<ZoneEgressSpec> ZONE_EGRESS = ResourceType.builder("ZoneEgress", ZoneEgressSpec.class)
            .scope(Scope.GLOBAL).wsPath("zoneegresses").cli("zoneegress", "zoneegresses")
            .displayNames("Zone Egress", "Zone Egresses").validator(ZoneEgressValidator::validate)
            .trait(Trait.K8S_NAMESPACED).build();

    public static final ResourceType<AccessRoleSpec> ACCESS_ROLE = ResourceType.builder("AccessRole", AccessRoleSpec.class)
            .scope(Scope.GLOBAL).wsPath("access-roles").cli("access-role", "access-roles")
            .displayNames("Access Role", "Access Roles").validator(AccessValidation::validateRole).build();

    public static final ResourceType<AccessRoleBindingSpec> ACCESS_ROLE_BINDING = ResourceType.builder("AccessRoleBinding", AccessRoleBindingSpec.class)
            .scope(Scope.GLOBAL).wsPath("access-role-bindings").cli("access-role-binding", "access-role-bindings")
            .displayNames("Access Role Binding", "Access Role Bindings")
            .validator(AccessValidation::validateRoleBinding).build();

    public static final ResourceType<AccessAuditSpec> ACCESS_AUDIT = ResourceType.builder("AccessAudit", AccessAuditSpec.class)
            .scope(Scope.GLOBAL).wsPath("access-audits").cli("access-audit", "access-audits")
            .displayNames("Access Audit", "Access Audits").validator(AccessValidation::validateAudit).build();

    private static final ResourceTypes STANDARD = new ResourceTypes(List.of(
            MESH,
            DATAPLANE,
            SECRET,
            GLOBAL_SECRET,
            TRAFFIC_PERMISSION,
            TRAFFIC_ROUTE,
            TIMEOUT,
            CIRCUIT_BREAKER,
            RETRY,
            HEALTH_CHECK,
            FAULT_INJECTION,
            TRAFFIC_LOG,
            TRAFFIC_TRACE,
            RATE_LIMIT,
            PROXY_TEMPLATE,
            EXTERNAL_SERVICE,
            VIRTUAL_OUTBOUND,
            MESH_GATEWAY,
            MESH_GATEWAY_ROUTE,
            ZONE_EGRESS,
            ACCESS_ROLE,
            ACCESS_ROLE_BINDING,
            ACCESS_AUDIT));

    private final List<ResourceType<?>> all;
    private final Map<String, ResourceType<?>> byName = new HashMap<>();
    private final Map<String, ResourceType<?>> byWsPath = new HashMap<>();
    private final Map<String, ResourceType<?>> byCliName = new HashMap<>();

    private ResourceTypes(List<ResourceType<?>> all) {
        this.all = List.copyOf(all);
        for (ResourceType<?> t : all) {
            putUnique(byName, t.name(), t);
            putUnique(byWsPath, t.wsPath(), t);
            putUnique(byCliName, t.cliSingular(), t);
            if (!t.cliPlural().equals(t.cliSingular())) {
                putUnique(byCliName, t.cliPlural(), t);
            }
        }
    }

    /** The registry of all built-in types. */
    public static ResourceTypes standard() {
        return STANDARD;
    }

    private static void putUnique(Map<String, ResourceType<?>> map, String key, ResourceType<?> type) {
        ResourceType<?> previous = map.putIfAbsent(key, type);
        if (previous != null) {
            throw new IllegalStateException("\"" + key + "\" is declared by both " + previous + " and " + type);
        }
    }

    public List<ResourceType<?>> all() {
        return all;
    }

    /** Type names, sorted. */
    public List<String> names() {
        return all.stream().map(ResourceType::name).sorted().toList();
    }

    public Optional<ResourceType<?>> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<ResourceType<?>> byWsPath(String wsPath) {
        return Optional.ofNullable(byWsPath.get(wsPath));
    }

    /** By CLI argument, singular or plural ({@code mesh}, {@code meshes}, {@code traffic-routes}). */
    public Optional<ResourceType<?>> byCliName(String cliName) {
        return Optional.ofNullable(byCliName.get(cliName));
    }

    /** All mesh-scoped policy types, in registry order. */
    public List<ResourceType<?>> policies() {
        return all.stream().filter(t -> t.has(Trait.POLICY)).toList();
    }

    /**
     * The policy types whose matches can be inspected ({@code GET /meshes/{mesh}/{ws}/{name}/dataplanes},
     * {@code ursactl inspect <type> NAME}), in registry order: Kuma 2.0's {@code allow_to_inspect} types.
     */
    public List<ResourceType<?>> inspectable() {
        return all.stream().filter(t -> t.has(Trait.INSPECTABLE)).toList();
    }
}
