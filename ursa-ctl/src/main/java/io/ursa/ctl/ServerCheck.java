package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.UnknownField;
import io.ursa.api.resource.ResourceTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The control plane's verdict on one {@code apply} document, from its dry run ({@code PUT ...?dryRun=true}, which
 * writes nothing): what the write would do ({@code created}, {@code updated}, {@code unchanged}) with the warnings
 * it would send, or why it would be refused. A document whose mesh an earlier document of the same apply creates
 * cannot be checked there before that mesh exists (the mesh's own check says it would be created, or refuses it): it
 * was checked by this client only and would be created.
 *
 * @param outcome the control plane's word for what the write would do; empty when refused
 * @param refusal why the document would be refused, as a report line words it; empty when accepted
 * @param warnings what the control plane (or, for a document checked here only, this client) warns about
 */
record ServerCheck(CheckedDocument.Prepared document, String outcome, String refusal, List<String> warnings,
                   boolean checkedHereOnly) {
    ServerCheck {
        requireNonNull(document, "document");
        requireNonNull(outcome, "outcome");
        requireNonNull(refusal, "refusal");
        warnings = List.copyOf(warnings);
        if (outcome.isEmpty() == refusal.isEmpty()) {
            throw new IllegalArgumentException("a check has an outcome or a refusal, not both");
        }
    }

    /**
     * Checks every document in order; with {@link UnknownFieldMode#REFUSE} an unknown field the control plane
     * reports (it knows more fields than this client) refuses the document.
     */
    static List<ServerCheck> all(ControlPlaneClient client, ResourceCodec codec,
                                 List<CheckedDocument.Prepared> prepared, UnknownFieldMode unknownFields) {
        List<ServerCheck> checks = new ArrayList<>();
        Set<String> meshesOfThisApply = new HashSet<>();
        for (CheckedDocument.Prepared p : prepared) {
            if (p.type().isMeshScoped() && meshesOfThisApply.contains(p.mesh())) {
                checks.add(new ServerCheck(p, "created", "", p.warnings(p.unknownFields()), true));
                continue;
            }
            ServerCheck check = one(client, codec, p, unknownFields);
            if (p.type() == ResourceTypes.MESH && (check.isRefused() || check.outcome().equals("created"))) {
                meshesOfThisApply.add(p.name());
            }
            checks.add(check);
        }
        return checks;
    }

    private static ServerCheck one(ControlPlaneClient client, ResourceCodec codec, CheckedDocument.Prepared p,
                                   UnknownFieldMode unknownFields) {
        ApiResponse response = client.put(p.path() + "?dryRun=true", codec.writeJson(p.body()));
        List<String> unknown = response.warnings().stream()
                .filter(w -> UnknownField.isWarningAbout(w, p.type().name(), p.name())).toList();
        if (response.isSuccess() && unknownFields == UnknownFieldMode.REFUSE && !unknown.isEmpty()) {
            return new ServerCheck(p, "", "refused (--strict): " + String.join("; ", unknown), List.of(), false);
        } else if (response.isSuccess()) {
            List<String> warnings = new ArrayList<>(p.warnings(p.unsent()));
            warnings.addAll(response.warnings());
            String outcome = JsonFields.text(response.json(), "outcome");
            return new ServerCheck(p, outcome.isEmpty() ? "accepted" : outcome, "", warnings, false);
        }
        return new ServerCheck(p, "", "refused: " + response.errorMessage().replace("\n", "\n    "), List.of(),
                false);
    }

    /** How many of {@code checks} were refused. */
    static long refused(List<ServerCheck> checks) {
        return checks.stream().filter(ServerCheck::isRefused).count();
    }

    /** The report lines of a refused apply, one per document, indented under the headline. */
    static String reportLines(List<ServerCheck> checks) {
        return "  " + String.join("\n  ", checks.stream().map(ServerCheck::reportLine).toList());
    }

    boolean isRefused() {
        return !refusal.isEmpty();
    }

    /** {@code document 1 (Mesh "first"): ok}, {@code ...: refused: <reason>}. */
    String reportLine() {
        if (isRefused()) {
            return document.label() + ": " + refusal;
        }
        return document.label() + ": ok" + (checkedHereOnly ? " (checked here: its mesh comes with this apply)" : "");
    }

    /** The dry run's line for an accepted document: {@code created Mesh "demo" (dry run)}. */
    String dryRunLine() {
        return outcome + " " + document.description() + " (dry run"
                + (checkedHereOnly ? "; checked here only: its mesh comes with this apply" : "") + ")";
    }
}
