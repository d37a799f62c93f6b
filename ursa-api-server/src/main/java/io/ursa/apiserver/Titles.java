package io.ursa.apiserver;

/** The {@code title} of an error body names the operation that failed, in Kuma's words (spec §8.5). */
final class Titles {
    static final String GET_ONE = "Could not retrieve a resource";
    static final String LIST = "Could not retrieve resources";
    static final String PROCESS = "Could not process a resource";
    static final String CREATE = "Could not create a resource";
    static final String UPDATE = "Could not update a resource";
    static final String DELETE = "Could not delete a resource";
    static final String ACCESS_DENIED = "Access Denied";
    static final String GET_OVERVIEW = "Could not retrieve a dataplane overview";
    static final String LIST_OVERVIEWS = "Could not retrieve dataplane overviews";
    static final String GET_ZONE_EGRESS_OVERVIEW = "Could not retrieve a zone egress overview";
    static final String LIST_ZONE_EGRESS_OVERVIEWS = "Could not retrieve zone egress overviews";
    static final String GLOBAL_INSIGHTS = "Could not retrieve global insights";
    static final String INDEX = "Could not retrieve the index";
    static final String CONFIG = "Could not retrieve the configuration";
    static final String POLICIES = "Could not retrieve policies";
    static final String UNKNOWN_ENDPOINT = "Unknown endpoint";
    static final String REQUEST = "Could not process the request";
    static final String INVALID_REQUEST = "Invalid request";
    static final String ISSUE_TOKEN = "Could not issue a token";
    static final String INSPECT_POLICIES = "Could not get MatchedPolicies";
    static final String INSPECT_DATAPLANE = "Could not get dataplane resource";
    static final String INSPECT_POLICY = "Could not list Dataplanes";
    static final String INSPECT_XDS = "Could not get config_dump";
    static final String INSPECT_GATEWAY_DATAPLANES = "Could not find MeshGateway";
    static final String INSPECT_GATEWAY_ROUTE_DATAPLANES = "Could not find MeshGatewayRoute";
    static final String CA_CERTIFICATE = "Could not retrieve the CA certificate";
    static final String CONTROL_PLANES = "Could not retrieve the control-plane instances";
    static final String GUI = "Could not retrieve a GUI file";
    static final String WHO_AM_I = "Could not tell who is calling";

    private Titles() {
    }
}
