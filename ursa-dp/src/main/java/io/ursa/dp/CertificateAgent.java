package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ursa.api.dataplane.GrpcBootstrap;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code ursa-dp grpc-agent}: keeps a proxyless gRPC application's certificate, key and CA fresh in files, which
 * grpc's {@code file_watcher} certificate provider reads. It holds a state-of-the-world ADS stream to the DP server
 * asking for the proxy's identity Secret and its mesh's CA Secret; each response is checked, written ({@link
 * CertificateWriter}) and ACKed, or NACKed with the reason while the old files stay. A broken stream is opened
 * again after a capped exponential back-off; a refusal for a reason no retry fixes (bad token, unknown mesh, invalid
 * Dataplane, a server certificate the CA does not sign, a scheme that does not match the server) ends the agent with
 * that reason, unless certificates were already received (then the files are kept and the agent keeps trying).
 *
 * <p>With several control-plane instances ({@code --cp-address} given more than once) the agent starts with a random
 * one and, when its stream ends, opens the next stream on the next instance at once; it waits the back-off only
 * after every instance failed in a row. While no instance answers, the files it wrote stay as they are (they are
 * only ever replaced by newer valid certificates, never emptied or removed), and the application keeps running on
 * them. It logs one warning when it loses the last instance and one line when an instance answers again, not one
 * per try (those are at debug level).
 *
 * <p>Over https the channel is TLS, verified as {@link ControlPlaneTrust} says; the CA given is copied to
 * {@value GrpcBootstrap#CONTROL_PLANE_CA_FILE} in the certificates directory, which the application's bootstrap names
 * as its {@code tls} channel credentials' {@code ca_certificate_file}.
 *
 * <p>Threads: {@link #run()} runs on the main thread and owns all state, including the request side of the stream
 * ({@link AdsStream}); gRPC's threads only put what they receive into {@code events}; {@link #stopOnSignal()} runs on
 * the shutdown-hook thread and puts a stop there too.
 */
final class CertificateAgent {
    static final String SECRET_TYPE_URL = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
    static final String USER_AGENT_NAME = "ursa-dp";
    /** Refusals that another try will not change, as the DP server gives them. */
    private static final Set<Status.Code> PERMANENT = Set.of(Status.Code.UNAUTHENTICATED,
            Status.Code.PERMISSION_DENIED, Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT,
            Status.Code.UNIMPLEMENTED);
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(10);

    private final GrpcAgentConfig config;
    private final DpEnvironment env;
    private final Logger log;
    private final CertificateWriter writer;
    private final StopSignal stop = new StopSignal();
    private final BlockingQueue<AdsStream.Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitCode = UrsaDp.ERROR;

    // owned by the main thread
    private Optional<IdentityBundle> written = Optional.empty();
    private String lastRejection = "";
    /** Whether the agent warned that no instance answers, and has not yet said that one does again. */
    private boolean lost;
    private String current = "";

    CertificateAgent(GrpcAgentConfig config, DpEnvironment env, Logger log) {
        this.config = requireNonNull(config, "config");
        this.env = requireNonNull(env, "env");
        this.log = requireNonNull(log, "log");
        this.writer = new CertificateWriter(config.certificates());
    }

    /**
     * The Secret names the agent asks for: the proxy's identity, its mesh's CA, then the roots of the meshes whose
     * cross-mesh gateways its mesh reaches (which a control plane without them may leave out of its answer).
     */
    static List<String> secretNames(String mesh) {
        return List.of("identity_cert:secret:" + mesh, "mesh_ca:secret:" + mesh, "cross_mesh_ca:secret:" + mesh);
    }

    /** Runs until stopped (0); a final refusal or an unusable directory is a {@link DpException}. */
    int run() {
        ControlPlanes controlPlanes = config.controlPlanes();
        log.info("starting " + env.build().product() + " certificate agent " + env.build().version() + " for \""
                + config.name() + "\" in mesh \"" + config.mesh() + "\", control plane "
                + controlPlanes.describe() + ", certificates in " + config.certificates().directory());
        int count = controlPlanes.size();
        ManagedChannel[] channels = new ManagedChannel[count];
        try {
            writer.prepare();
            GrpcBootstrap.ChannelCreds bootstrapCreds = writeControlPlaneCa();
            config.bootstrapFile().ifPresent(file -> writeBootstrap(file, bootstrapCreds));
            int next = env.random().nextInt(count); // a random first instance, so that proxies spread over them
            int failures = 0;
            for (int attempt = 1; !stop.isRequested(); attempt++) {
                int index = next;
                ControlPlaneAddress cp = controlPlanes.addresses().get(index);
                current = GrpcAgentConfig.target(cp);
                if (channels[index] == null) {
                    channels[index] = channel(cp);
                }
                AdsStream stream = new AdsStream(attempt, events);
                String asking = "asking the control plane at " + current + " for the certificates of "
                        + config.nodeId() + " (stream " + attempt + ")";
                if (lost) {
                    log.fine(asking);
                } else {
                    log.info(asking);
                }
                stream.open(AdsStream.stub(channels[index], config.token().value()),
                        request("", "", Optional.empty()));
                Optional<Status> ended = stream.serve(this::handle);
                if (ended.isEmpty()) {
                    break; // stopped
                }
                Status status = ended.get();
                if (written.isEmpty()) {
                    Optional<DpException> refusal = cp.refusal(status.asRuntimeException());
                    if (refusal.isPresent()) {
                        throw refusal.get();
                    }
                }
                if (PERMANENT.contains(status.getCode()) && written.isEmpty()) {
                    throw new DpException("the control plane at " + current + " refused the certificate"
                            + " stream of " + config.nodeId() + ": " + AdsStream.describe(status));
                }
                failures = stream.responses() > 0 ? 1 : failures + 1;
                next = (index + 1) % count;
                String ending = "the certificate stream with the control plane at " + current + " ended ("
                        + AdsStream.describe(status) + ")";
                if (failures % count != 0) {
                    // an instance not tried in this round: at once
                    log.log(lost ? Level.FINE : Level.INFO, ending + "; trying the instance at "
                            + GrpcAgentConfig.target(controlPlanes.addresses().get(next)));
                    continue;
                }
                Duration wait = config.backoff().delay(failures / count);
                if (lost) {
                    log.fine(ending + "; still no control plane instance answers, trying again in "
                            + Durations.format(wait));
                } else {
                    lost = true;
                    log.warning(ending + (count > 1 ? " and no other control plane instance answers" : "")
                            + "; keeping the certificates in " + config.certificates().directory()
                            + " as they are and opening it again in " + Durations.format(wait)
                            + ", then with a growing back-off");
                }
                if (!env.sleeper().sleep(wait, stop)) {
                    break;
                }
            }
            log.info("stopped");
            exitCode = 0;
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DpException("interrupted");
        } finally {
            for (ManagedChannel channel : channels) {
                if (channel != null) {
                    channel.shutdownNow();
                }
            }
            finished.countDown();
        }
    }

    private ManagedChannel channel(ControlPlaneAddress cp) {
        return Grpc.newChannelBuilderForAddress(cp.host(), GrpcAgentConfig.port(cp), AdsStream.credentials(cp))
                .userAgent(USER_AGENT_NAME + "/" + env.build().version())
                .disableRetry() // the agent opens its stream again itself; no transparent retry behind its back
                .build();
    }

    /**
     * Stops the agent from a SIGTERM/SIGINT: closes the stream and waits for {@link #run()} to finish. Returns the
     * exit code, or -1 when the agent had already finished by itself.
     */
    int stopOnSignal() {
        if (finished.getCount() == 0) {
            return -1;
        }
        log.info("caught a stop signal, stopping");
        stop.request();
        events.add(new AdsStream.Stopped());
        try {
            if (!finished.await(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warning("the agent did not finish within " + Durations.format(FINISH_TIMEOUT) + " of the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode;
    }

    private void handle(AdsStream stream, DiscoveryResponse response) {
        if (!response.getTypeUrl().equals(SECRET_TYPE_URL)) {
            log.warning("ignoring a response of type " + response.getTypeUrl() + " (the agent asks only for "
                    + SECRET_TYPE_URL + ")");
            return;
        }
        List<String> names = secretNames(config.mesh());
        IdentityBundle bundle;
        try {
            bundle = IdentityBundle.from(response, names.get(0), names.get(1), Optional.of(names.get(2)));
        } catch (IdentityBundle.InvalidBundleException e) {
            reject(stream, response, e.getMessage());
            return;
        }
        if (written.isEmpty() || !written.get().equals(bundle)) {
            try {
                writer.write(bundle);
            } catch (IOException e) {
                reject(stream, response, "could not write the certificates to "
                        + config.certificates().directory() + ": " + describe(e));
                return;
            }
            boolean first = written.isEmpty();
            written = Optional.of(bundle);
            log.info("new certificate (version " + response.getVersionInfo() + "): " + bundle.describe());
            if (first) {
                env.out().println("certificates ready in " + config.certificates().directory() + " ("
                        + GrpcBootstrap.CERTIFICATE_FILE + ", " + GrpcBootstrap.PRIVATE_KEY_FILE + ", "
                        + GrpcBootstrap.CA_CERTIFICATE_FILE + ")");
                env.out().flush();
            }
        }
        lastRejection = "";
        if (lost) {
            lost = false;
            log.info("the control plane at " + current + " answers again; the certificates are kept fresh again");
        }
        stream.acknowledge(request(response.getVersionInfo(), response.getNonce(), Optional.empty()));
    }

    /** NACKs {@code response}: the last accepted version, its nonce, and why. The files stay as they are. */
    private void reject(AdsStream stream, DiscoveryResponse response, String reason) {
        String message = "rejected certificates version " + response.getVersionInfo() + ": " + reason
                + "; keeping the current files";
        if (message.equals(lastRejection)) {
            log.fine(message); // the control plane sends it again: said once is enough
        } else {
            log.warning(message);
        }
        lastRejection = message;
        stream.send(request(stream.acceptedVersion(), response.getNonce(), Optional.of(reason)));
    }

    private DiscoveryRequest request(String version, String nonce, Optional<String> error) {
        return AdsStream.request(node(), SECRET_TYPE_URL, secretNames(config.mesh()), version, nonce, error);
    }

    private Node node() {
        Struct.Builder metadata = Struct.newBuilder()
                .putFields(GrpcBootstrap.PROXYLESS_KIND_METADATA_KEY, text(GrpcBootstrap.PROXYLESS_KIND_GRPC))
                .putFields(GrpcBootstrap.MESH_METADATA_KEY, text(config.mesh()));
        config.definition().ifPresent(definition ->
                metadata.putFields(GrpcBootstrap.DATAPLANE_RESOURCE_METADATA_KEY, text(definition.json())));
        Node.Builder node = Node.newBuilder()
                .setId(config.nodeId())
                .setUserAgentName(USER_AGENT_NAME)
                .setMetadata(metadata);
        config.service().ifPresent(node::setCluster);
        if (!env.build().version().equals(BuildInfo.UNKNOWN)) {
            node.setUserAgentVersion(env.build().version());
        }
        return node.build();
    }

    /**
     * Copies the CA given to {@value GrpcBootstrap#CONTROL_PLANE_CA_FILE} and returns the channel credentials of the
     * application's bootstrap: TLS with that file, TLS with the default roots without a CA, plaintext over http.
     */
    private GrpcBootstrap.ChannelCreds writeControlPlaneCa() {
        if (config.controlPlanes().tls().isEmpty()) {
            return GrpcBootstrap.ChannelCreds.insecure();
        }
        Optional<String> ca = config.controlPlanes().tls().get().caPem();
        if (ca.isEmpty()) {
            return GrpcBootstrap.ChannelCreds.tls(Optional.empty());
        }
        Path file = config.certificates().controlPlaneCaFile();
        try {
            AtomicFiles.replace(file, ca.get(), AtomicFiles.Access.EVERYONE);
        } catch (IOException e) {
            throw new DpException("could not write the control plane's CA to " + file + ": " + describe(e));
        }
        return GrpcBootstrap.ChannelCreds.tls(Optional.of(file));
    }

    private void writeBootstrap(Path file, GrpcBootstrap.ChannelCreds channelCreds) {
        ControlPlaneAddress first = config.controlPlanes().first();
        if (config.controlPlanes().size() > 1) {
            log.warning("the gRPC bootstrap names only the first control plane, " + GrpcAgentConfig.target(first)
                    + ": grpc-java does not move a running application to another xDS server while it has its"
                    + " configuration (gRFC A71 falls back only for resources not received yet); give the"
                    + " application one DNS name that resolves to every instance instead, see the README");
        }
        GrpcBootstrap bootstrap = new GrpcBootstrap(GrpcAgentConfig.target(first), channelCreds, config.mesh(), config.name(),
                config.service().orElse(GrpcBootstrap.UNKNOWN_SERVICE), config.token().value(),
                config.definition().map(DataplaneDefinition::json)).withCertificates(config.certificates());
        try {
            AtomicFiles.replace(file, bootstrap.toJson(), AtomicFiles.Access.OWNER_ONLY);
        } catch (IOException e) {
            throw new DpException("could not write the gRPC bootstrap to " + file + ": " + describe(e));
        }
        log.info("wrote the gRPC bootstrap to " + file + "; start the application with GRPC_XDS_BOOTSTRAP=" + file);
    }

    private static Value text(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    /** {@code /x/cert.pem is not a regular file}, {@code AccessDeniedException: /x/.key.pem-1.tmp}. */
    private static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e.getClass() == IOException.class ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
