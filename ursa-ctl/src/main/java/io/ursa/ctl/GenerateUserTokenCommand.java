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
 * {@code generate user-token} (kumactl 2.0's {@code app/kumactl/cmd/generate/generate_user_token.go}): asks
 * {@code POST /tokens/user} for a token of a user name and its groups, and prints the raw JWT without a newline,
 * so it can be redirected into a file. As in kumactl, {@code --name} and {@code --valid-for} are required and
 * {@code --group} is repeatable (or comma-separated). Issuing needs {@code GENERATE_USER_TOKEN}, which the
 * {@code admin} role has. Not done: kumactl's offline signing ({@code --signing-key-path}, {@code --kid}).
 */
@Command(name = "user-token", description = "Generate a user token, which proves a user's identity to the control"
        + " plane's API.", footerHeading = "%nExamples:%n", footer = {
                "  ursactl generate user-token --name alice --group team-a --valid-for 24h",
                "  ursactl generate user-token --name ci --group ci,team-a --valid-for 720h"})
final class GenerateUserTokenCommand implements Callable<Integer> {
    static final String PATH = "/tokens/user";

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "name of the user")
    String name;

    @Option(names = "--group", paramLabel = "GROUP", split = ",",
            description = "a group of the user; repeatable, or comma-separated")
    List<String> groups = new ArrayList<>();

    @Option(names = "--valid-for", required = true, paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "how long the token is valid, e.g. 24h or 720h")
    Duration validFor;

    private final RootCommand root;

    GenerateUserTokenCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        if (validFor.isZero() || validFor.isNegative()) {
            throw new UsageException("invalid --valid-for " + Durations.format(validFor)
                    + " (expected: a duration above 0, e.g. 24h)");
        }
        ApiResponse response = root.client().post(PATH, requestBody());
        if (!response.isSuccess()) {
            throw new CtlException("failed to generate a user token: " + response.errorMessage());
        }
        root.env().out().print(response.body());
        root.env().out().flush();
        return 0;
    }

    private String requestBody() {
        ObjectNode request = Json.json().createObjectNode();
        request.put("name", name);
        ArrayNode list = request.putArray("groups");
        groups.stream().map(String::strip).filter(g -> !g.isEmpty()).forEach(list::add);
        request.put("validFor", Durations.format(validFor));
        try {
            return Json.json().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }
}
