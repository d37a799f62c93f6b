// The text a new resource starts from: the meta of its type (type, mesh, an empty name) and, for common types, a
// minimal spec that the control plane accepts once a name is given.

const SELECT_ALL = `sources:
- match:
    kuma.io/service: '*'
destinations:
- match:
    kuma.io/service: '*'
`;

const SPECS = {
  TrafficPermission: SELECT_ALL,
  TrafficRoute: `${SELECT_ALL}conf:
  destination:
    kuma.io/service: '*'
`,
  Timeout: `${SELECT_ALL}conf:
  connectTimeout: 5s
  http:
    requestTimeout: 15s
`,
  Retry: `${SELECT_ALL}conf:
  http:
    numRetries: 3
`,
  HealthCheck: `${SELECT_ALL}conf:
  interval: 10s
  timeout: 2s
  unhealthyThreshold: 3
  healthyThreshold: 1
`,
  CircuitBreaker: `${SELECT_ALL}conf:
  detectors:
    totalErrors:
      consecutive: 20
`,
  Mesh: `# mtls:
#   enabledBackend: ca-1
#   backends:
#   - name: ca-1
#     type: builtin
`,
  Secret: `# the value, base64-encoded
data: ''
`,
  Dataplane: `networking:
  address: 127.0.0.1
  inbound:
  - port: 8080
    servicePort: 8081
    tags:
      kuma.io/service: my-service
`,
  ExternalService: `networking:
  address: example.com:443
  tls:
    enabled: true
tags:
  kuma.io/service: example
`,
};

export function template(type, mesh) {
  const meta = type.scope === 'Mesh' ? `type: ${type.name}\nmesh: ${mesh}\nname: \n` : `type: ${type.name}\nname: \n`;
  return meta + (SPECS[type.name] || '');
}
