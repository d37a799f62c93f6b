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
 * {@code generate zone-token} (kumactl 2.0's {@code app/kumactl/cmd/generate/generate_zone_token.go}): asks
 * {@code POST /tokens/zone} for a token that proves the identity of a zone proxy (a zone egress), and prints the raw
 * JWT without a newline, so it can be redirected into a file. As in kumactl, {@code --valid-for} is required,
 * {@code --zone} may be left empty (a token of no zone), and {@code --scope} is repeatable (or comma-separated),
 * {@code ingress} and/or {@code egress}, both when not given; other values are refused before anything is sent.
 * Issuing needs {@code GENERATE_ZONE_TOKEN}, which the {@code admin} role has.
 */
@Command(name = "zone-token", description = "Generate Zone Token that is used to prove identity of zone components"
        + " (Zone Ingress, Zone Egress).", footerHeading = "%nExamples:%n", footer = {
                "  ursactl generate zone-token --zone zone-1 --valid-for 24h",
                "  ursactl generate zone-token --zone zone-1 --valid-for 24h --scope egress",
                "  ursactl generate zone-token --zone zone-1 --valid-for 24h --scope ingress --scope egress"})
final class GenerateZoneTokenCommand implements Callable<Integer> {
    static final String PATH = "/tokens/zone";
    /** Kuma's {@code zone.FullScope}, in its order. */
    static final List<String> FULL_SCOPE = List.of("ingress", "egress");

    @Option(names = "--zone", paramLabel = "ZONE", description = "name of the zone where resides")
    String zone = "";

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",",
            description = "scope of resources which the token will be able to identify (can be: [ingress egress]);"
                    + " repeatable, or comma-separated (default: [ingress egress])")
    List<String> scope = new ArrayList<>();

    @Option(names = "--valid-for", required = true, paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "how long the token will be valid (for example \"24h\")")
    Duration validFor;

    private final RootCommand root;

    GenerateZoneTokenCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        List<String> scopes = scope.isEmpty() ? FULL_SCOPE : scope.stream().map(String::strip).toList();
        List<String> unsupported = scopes.stream().filter(s -> !FULL_SCOPE.contains(s)).toList();
        if (!unsupported.isEmpty()) {
            throw new UsageException("invalid --scope values: " + goList(unsupported) + " (supported scopes: "
                    + goList(FULL_SCOPE) + ")");
        }
        if (validFor.isZero() || validFor.isNegative()) {
            throw new UsageException("invalid --valid-for " + Durations.format(validFor)
                    + " (expected: a duration above 0, e.g. 24h)");
        }
        ApiResponse response = root.client().post(PATH, requestBody(scopes));
        if (!response.isSuccess()) {
            throw new CtlException("failed to generate a zone token: " + response.errorMessage());
        }
        root.env().out().print(response.body());
        root.env().out().flush();
        return 0;
    }

    /** Go's {@code %+v} of a string slice: {@code [a b]}. */
    private static String goList(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    private String requestBody(List<String> scopes) {
        ObjectNode request = Json.json().createObjectNode();
        request.put("zone", zone);
        ArrayNode list = request.putArray("scope");
        scopes.forEach(list::add);
        request.put("validFor", Durations.format(validFor));
        try {
            return Json.json().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }
}
