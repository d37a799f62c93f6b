package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code config control-planes add --name N --address URL [--overwrite] [--headers k=v]... [--ca-cert-file FILE |
 * --skip-verify] [--auth-type tokens --auth-conf token=JWT]}, kumactl's flags: checks that the address answers
 * {@code GET /} with these TLS and token settings, stores it with a context of the same name in kumactl's layout
 * and makes it current.
 *
 * <p>{@code --skip-verify} is warned about here, once, and on every later use only with {@code --log-level debug}
 * (a warning on every command would be noise that scripts learn to ignore). A token sent over {@code http://} to
 * a host that is not the loopback is warned about too. kumactl's {@code --client-cert-file} and
 * {@code --client-key-file} are refused: Ursa's API authenticates users by token only.
 */
@Command(name = "add", description = "Add a Control Plane and make it the active one.", footerHeading = "%nExamples:%n",
        footer = {
                "  ursactl config control-planes add --name prod \\",
                "      --address https://cp.example:5682 --ca-cert-file ca.pem \\",
                "      --auth-type tokens --auth-conf token=$(cat admin.token)"})
final class AddControlPlaneCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "reference name for the Control Plane")
    String name;

    @Option(names = "--address", required = true, paramLabel = "URL",
            description = "URL of the Control Plane API Server, e.g. http://localhost:5681 or https://cp.example:5682")
    String address;

    @Option(names = "--overwrite", description = "replace an existing Control Plane with the same name")
    boolean overwrite;

    @Option(names = "--headers", paramLabel = "KEY=VALUE", split = ",",
            description = "headers to send with every request to the Control Plane")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--ca-cert-file", paramLabel = "FILE",
            description = "PEM file of the CA that signs the Control Plane's certificate; only that CA is trusted"
                    + " (ursactl stores the path, not the contents). The control plane serves its own at"
                    + " GET /control-plane/ca.pem. Without it (and without --skip-verify), https:// addresses are"
                    + " checked against the JVM's default trust store")
    Path caCertFile;

    @Option(names = "--skip-verify",
            description = "do not check the Control Plane's certificate at all; unsafe: anyone on the network path"
                    + " can read and change the traffic, token included")
    boolean skipVerify;

    @Option(names = "--auth-type", paramLabel = "TYPE",
            description = "authentication type: tokens (a user token sent as Authorization: Bearer)")
    String authType;

    @Option(names = "--auth-conf", paramLabel = "KEY=VALUE", split = ",",
            description = "configuration of the authentication type; for tokens: token=<user token>")
    Map<String, String> authConf = new LinkedHashMap<>();

    @Option(names = "--client-cert-file", paramLabel = "FILE", hidden = true)
    String clientCertFile;

    @Option(names = "--client-key-file", paramLabel = "FILE", hidden = true)
    String clientKeyFile;

    @Spec
    CommandSpec spec;

    private final RootCommand root;

    AddControlPlaneCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        URI uri = RootCommand.parseAddress(address);
        CtlConfig.ControlPlane cp = new CtlConfig.ControlPlane(name, new CtlConfig.Coordinates(settings(uri)));
        CtlConfig.Overwrite mode = overwrite ? CtlConfig.Overwrite.REPLACE : CtlConfig.Overwrite.REFUSE;
        root.configFile("config control-planes add").update(config -> {
            Optional<CtlConfig> updated = config.withControlPlane(cp, mode);
            updated.ifPresent(u -> verify(uri, cp));
            return updated;
        }, () -> new CtlException("Control Plane with name " + Texts.quote(name)
                + " already exists. Use --overwrite to replace an existing one."));
        PrintWriter out = root.env().out();
        out.println("added Control Plane " + Texts.quote(name));
        out.println("switched active Control Plane to " + Texts.quote(name));
        out.flush();
        warnings(uri, cp.apiServer()).forEach(root::warn);
        return 0;
    }

    /** The stored coordinates, after checking the TLS and authentication flags (usage errors name the flag). */
    private CtlConfig.ApiServer settings(URI uri) {
        if (clientCertFile != null || clientKeyFile != null) {
            throw usage((clientCertFile != null ? "--client-cert-file" : "--client-key-file") + " is not supported:"
                    + " Ursa's API authenticates users by token (use --auth-type tokens --auth-conf token=TOKEN)");
        }
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        if (caCertFile != null && skipVerify) {
            throw usage("--ca-cert-file and --skip-verify exclude each other: either the certificate is checked"
                    + " against that CA, or it is not checked at all");
        }
        if ((caCertFile != null || skipVerify) && !https) {
            throw usage((skipVerify ? "--skip-verify" : "--ca-cert-file") + " needs an https:// address (got "
                    + address + "; the control plane's HTTPS API listens on port "
                    + TransportFailures.DEFAULT_HTTPS_PORT + " by default)");
        }
        String caFile = "";
        if (caCertFile != null) {
            Path absolute = caCertFile.toAbsolutePath().normalize();
            try {
                ServerTrust.readCaFile(absolute);
            } catch (CtlException e) {
                throw usage("invalid --ca-cert-file: " + e.getMessage());
            }
            caFile = absolute.toString();
        }
        String type = authType == null ? "" : authType;
        if (type.isEmpty() && !authConf.isEmpty()) {
            throw usage("--auth-conf needs --auth-type (the only type is " + CtlConfig.ApiServer.TOKENS + ")");
        }
        if (!type.isEmpty()) {
            if (!type.equals(CtlConfig.ApiServer.TOKENS)) {
                throw usage("invalid --auth-type " + Texts.quote(type) + " (expected: " + CtlConfig.ApiServer.TOKENS
                        + ")");
            }
            for (String key : authConf.keySet()) {
                if (!key.equals(CtlConfig.ApiServer.TOKEN_KEY)) {
                    throw usage("invalid --auth-conf key " + Texts.quote(key) + " for --auth-type tokens (expected:"
                            + " token=TOKEN)");
                }
            }
            if (authConf.getOrDefault(CtlConfig.ApiServer.TOKEN_KEY, "").isBlank()) {
                throw usage("--auth-type tokens needs --auth-conf token=TOKEN (a user token, e.g. from ursactl"
                        + " generate user-token)");
            }
        }
        CtlConfig.ApiServer plain = CtlConfig.ApiServer.of(address, headers);
        return new CtlConfig.ApiServer(address, plain.headers(), caFile, null, null, type,
                type.isEmpty() ? Map.of() : Map.of(CtlConfig.ApiServer.TOKEN_KEY,
                        authConf.get(CtlConfig.ApiServer.TOKEN_KEY).strip()), skipVerify);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The address must answer {@code GET /} with the API server's index JSON, with the TLS and token given. */
    private void verify(URI uri, CtlConfig.ControlPlane cp) {
        ApiResponse response;
        try {
            response = root.client(uri, cp).get("/");
        } catch (UnauthorizedException e) {
            if (cp.apiServer().token().isPresent()) {
                throw new CtlException("the control plane at " + address + " refused the token given with"
                        + " --auth-conf: " + e.reason() + " (expected: a whole, unexpired user token, e.g. from"
                        + " ursactl generate user-token)", e);
            }
            throw new CtlException("the control plane at " + address + " asks for a user token: " + e.reason()
                    + "; pass one with --auth-type tokens --auth-conf token=TOKEN", e);
        }
        if (!response.isSuccess()) {
            throw new CtlException("Control Plane API Server at " + address + " is not responding: GET / answered "
                    + response.status());
        }
        if (!response.json().isObject()) {
            throw new CtlException("the address " + address + " is not a valid Control Plane API Server: "
                    + "GET / did not answer with the index JSON object");
        }
    }

    private List<String> warnings(URI uri, CtlConfig.ApiServer settings) {
        if (settings.skipVerify()) {
            return List.of("--skip-verify: ursactl will not check the certificate of control plane "
                    + Texts.quote(name) + ", so anyone on the network path can read and change its traffic, token"
                    + " included; pass the control plane's CA with --ca-cert-file instead (it is served at"
                    + " GET /control-plane/ca.pem on the control plane's API)");
        }
        if (settings.token().isPresent() && uri.getScheme().equalsIgnoreCase("http") && !isLoopback(uri.getHost())) {
            return List.of("the token for control plane " + Texts.quote(name) + " will cross the network in clear"
                    + " text over http://; use the control plane's HTTPS API (https://" + uri.getHost() + ":"
                    + TransportFailures.DEFAULT_HTTPS_PORT + " by default) with --ca-cert-file");
        }
        return List.of();
    }

    /** {@code localhost}, {@code 127.*} or {@code [::1]}, without a DNS lookup. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    /**
     * The command that stores {@code settings} again with a new token, for hints; the token itself is
     * {@code placeholder}, headers are left out (they may hold credentials too).
     */
    static String commandLine(String name, String address, CtlConfig.ApiServer settings, String placeholder) {
        StringBuilder line = new StringBuilder("ursactl config control-planes add --overwrite --name ").append(name)
                .append(" --address ").append(address);
        if (!settings.caCertFile().isEmpty()) {
            line.append(" --ca-cert-file ").append(settings.caCertFile());
        }
        if (settings.skipVerify()) {
            line.append(" --skip-verify");
        }
        return line.append(" --auth-type tokens --auth-conf token=").append(placeholder).toString();
    }
}
