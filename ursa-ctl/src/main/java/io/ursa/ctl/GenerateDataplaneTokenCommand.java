package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate dataplane-token} (spec §9.5): asks {@code POST /tokens/dataplane} for a token bound to a mesh and
 * optionally a proxy name, tags and type, and prints the raw JWT without a newline, as kumactl does, so it can be
 * redirected into a token file.
 */
@Command(name = "dataplane-token", description = "Generate a dataplane token, which a proxy presents to prove its"
        + " identity.", footerHeading = "%nExamples:%n", footer = {
                "  ursactl generate dataplane-token --mesh demo --name demo-01 --valid-for 24h",
                "  ursactl generate dataplane-token -m demo --tag kuma.io/service=web,web-api"})
final class GenerateDataplaneTokenCommand implements Callable<Integer> {
    static final String PATH = "/tokens/dataplane";

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "",
            description = "name of the Dataplane the token is for (default: any)")
    String name;

    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh of the Dataplane (default: ${DEFAULT-VALUE})")
    String mesh;

    @Option(names = {"--proxy-type", "--type"}, paramLabel = "TYPE", defaultValue = "",
            description = "type of the proxy: dataplane, ingress or egress (default: any)")
    String proxyType;

    @Option(names = "--tag", paramLabel = "KEY=VALUE[,VALUE...]",
            description = "a tag the Dataplane must have, with the values it may have; repeatable, values of the"
                    + " same key add up")
    List<String> tags = new ArrayList<>();

    @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "87600h",
            converter = Durations.Converter.class,
            description = "how long the token is valid, e.g. 24h (default: ${DEFAULT-VALUE}, 10 years)")
    Duration validFor;

    private final RootCommand root;

    GenerateDataplaneTokenCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        if (validFor.isZero()) {
            throw new UsageException("invalid --valid-for 0s (expected: a duration above 0, e.g. 24h)");
        }
        String body = requestBody();
        ApiResponse response = root.client().post(PATH, body);
        if (!response.isSuccess()) {
            throw new CtlException("failed to generate a dataplane token: " + response.errorMessage());
        }
        root.env().out().print(response.body());
        root.env().out().flush();
        return 0;
    }

    private String requestBody() {
        ObjectNode request = Json.json().createObjectNode();
        request.put("name", name);
        request.put("mesh", mesh);
        ObjectNode tagObject = request.putObject("tags");
        DataplaneTokenTags.parse(tags).forEach((key, values) -> {
            ArrayNode list = tagObject.putArray(key);
            values.forEach(list::add);
        });
        request.put("type", proxyType);
        request.put("validFor", Durations.format(validFor));
        try {
            return Json.json().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }
}
