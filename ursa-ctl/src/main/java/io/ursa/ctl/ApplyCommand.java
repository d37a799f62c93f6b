package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.Templates;
import io.ursa.api.codec.UnknownField;
import io.ursa.api.validation.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apply -f FILE|-|URL [-v key=value]... [--dry-run[=server|client]] [--strict] [--continue-on-error]}
 * (spec §9.1). Every document is rendered, decoded and validated before anything is sent; one invalid document
 * stops the whole apply.
 * With several documents, each is then checked by the control plane without being written ({@code PUT
 * ...?dryRun=true}; a document whose mesh an earlier one creates is checked here only), and one it refuses leaves
 * them all unapplied, with a line per document. Then each resource is {@code PUT} (create or update) in order,
 * stopping at the first error and naming what was applied before it and what was not sent. With
 * {@code --continue-on-error} there is no dry run: every document is sent, each refusal is reported, and the exit
 * code is 1 if any was refused. The report has a line per document: {@code created}, {@code updated} or
 * {@code unchanged} (the control plane already stored that spec and wrote nothing), and the failed and skipped.
 *
 * <p>{@code --dry-run} (or {@code --dry-run=server}) has the control plane check every document without writing
 * any and prints what each write would do ({@code created Mesh "demo" (dry run)}) with the same warnings; a
 * refusal is reported as an apply's and exits 1. {@code --dry-run=client} prints the rendered resources as YAML
 * and sends nothing (kumactl's {@code --dry-run}).
 *
 * <p>Fields a type does not know are dropped, as Kuma drops them, and each is a warning on stderr
 * ({@code warning: mesh demo: unknown field "mtsl" (did you mean "mtls"?)}): the control plane's {@code Warning}
 * headers, and, for the keys the Universal body leaves out (unknown meta keys of the Kubernetes form), this
 * client's own. With {@code --strict} they are errors, found here with the same codec the control plane uses,
 * before anything is sent: the apply fails with exit code 1 and nothing is stored. Should the control plane still
 * report an unknown field (it knows more fields than this client), its dry run refuses the document; for a single
 * document (no dry run) the apply stops there with exit code 1, that document stored.
 */
@Command(name = "apply", description = "Create or modify resources from YAML (Universal or Kubernetes form).")
final class ApplyCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "file to apply: a path, - for stdin, or an http(s) URL")
    String file;

    @Option(names = {"-v", "--var"}, paramLabel = "KEY=VALUE",
            description = "variable for the Mustache template {{ KEY }}; dotted keys nest (a.b=x is {{ a.b }})")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = SERVER, paramLabel = "server|client",
            description = "write nothing: the control plane checks every document and this prints what each write "
                    + "would do (server, the default), or print the rendered resources as YAML and send nothing "
                    + "(client)")
    String dryRun = "";

    private static final String SERVER = "server";
    private static final String CLIENT = "client";

    @Option(names = "--continue-on-error", description = "apply every document that the control plane accepts "
            + "and report the others, instead of applying none when one is refused")
    boolean continueOnError;

    @Option(names = "--strict", description = "refuse the whole apply, before anything is sent, when a document "
            + "has a field its type does not know (by default such fields are dropped with a warning)")
    boolean strict;

    private final RootCommand root;

    ApplyCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        if (!dryRun.isEmpty() && !dryRun.equals(SERVER) && !dryRun.equals(CLIENT)) {
            throw new UsageException("invalid value for --dry-run: " + Texts.quote(dryRun)
                    + " (expected: server or client)");
        }
        String text = read();
        List<CheckedDocument> documents = check(text);
        if (documents.isEmpty()) {
            throw new CtlException("no resource(s) passed to apply");
        }
        List<CheckedDocument.Invalid> invalid = new ArrayList<>();
        List<CheckedDocument.Prepared> prepared = new ArrayList<>();
        for (CheckedDocument doc : documents) {
            if (doc instanceof CheckedDocument.Invalid i) {
                invalid.add(i);
            } else if (doc instanceof CheckedDocument.Prepared p) {
                prepared.add(p);
            }
        }
        if (!invalid.isEmpty()) {
            throw new CtlException(describe(invalid, documents.size()));
        }
        PrintWriter out = root.env().out();
        if (dryRun.equals(CLIENT)) {
            prepared.forEach(p -> warn(p.warnings(p.unknownFields())));
            ResourceCodec codec = root.env().codec();
            out.print(String.join("---\n", prepared.stream().map(p -> codec.writeYaml(p.body())).toList()));
            out.flush();
            return 0;
        }
        ControlPlaneClient client = root.client();
        if (dryRun.equals(SERVER)) {
            return dryRunOnTheServer(client, prepared);
        }
        if (prepared.size() > 1 && !continueOnError) {
            checkOnTheServer(client, prepared);
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            CheckedDocument.Prepared p = prepared.get(i);
            ApiResponse response = client.put(p.path(), root.env().codec().writeJson(p.body()));
            if (!response.isSuccess()) {
                String reason = p.label() + ": " + response.errorMessage();
                if (continueOnError) {
                    root.env().err().println("failed " + reason);
                    root.env().err().flush();
                    failed.add(p.label());
                    continue;
                }
                throw new CtlException("could not apply " + reason + skipped(prepared, i));
            }
            String verb = switch (response.status()) {
                case 201 -> "created";
                case 200 -> JsonFields.text(response.json(), "outcome").equals("unchanged") ? "unchanged" : "updated";
                default -> "applied";
            };
            out.println(verb + " " + p.description());
            out.flush();
            warn(p.warnings(p.unsent()));
            warn(response.warnings());
            if (strict) {
                refuseUnknownFieldsReportedBy(response, p);
            }
        }
        if (!failed.isEmpty()) {
            throw new CtlException((prepared.size() - failed.size()) + " of " + prepared.size()
                    + " documents applied; refused: " + String.join(", ", failed));
        }
        return 0;
    }

    /**
     * A dry run of every document on the control plane ({@code PUT ...?dryRun=true}) before any is applied, so a
     * document the server refuses leaves the others unapplied too; the report names each one.
     */
    private void checkOnTheServer(ControlPlaneClient client, List<CheckedDocument.Prepared> prepared) {
        List<ServerCheck> checks = ServerCheck.all(client, root.env().codec(), prepared, unknownFieldMode());
        long refused = ServerCheck.refused(checks);
        if (refused > 0) {
            throw new CtlException("the control plane refused " + refused + " of " + prepared.size()
                    + " documents, nothing was applied (--continue-on-error applies the others)\n"
                    + ServerCheck.reportLines(checks));
        }
    }

    /**
     * {@code --dry-run=server}: the control plane checks every document and nothing is written; a line per document
     * says what its write would do, with its warnings, or the apply's refusal report names the refused ones.
     */
    private int dryRunOnTheServer(ControlPlaneClient client, List<CheckedDocument.Prepared> prepared) {
        List<ServerCheck> checks = ServerCheck.all(client, root.env().codec(), prepared, unknownFieldMode());
        long refused = ServerCheck.refused(checks);
        if (refused > 0) {
            throw new CtlException("the control plane refused " + refused + " of " + prepared.size()
                    + (prepared.size() == 1 ? " document" : " documents") + " (dry run: nothing was applied)\n"
                    + ServerCheck.reportLines(checks));
        }
        PrintWriter out = root.env().out();
        for (ServerCheck check : checks) {
            out.println(check.dryRunLine());
            out.flush();
            warn(check.warnings());
        }
        return 0;
    }

    private UnknownFieldMode unknownFieldMode() {
        return strict ? UnknownFieldMode.REFUSE : UnknownFieldMode.WARN;
    }

    /** The documents after number {@code failedIndex} (0-based) that were not sent, for an error message. */
    private static String skipped(List<CheckedDocument.Prepared> prepared, int failedIndex) {
        if (failedIndex == prepared.size() - 1) {
            return "";
        }
        List<String> labels = prepared.subList(failedIndex + 1, prepared.size()).stream()
                .map(CheckedDocument.Prepared::label).toList();
        return "\nnot sent: " + String.join(", ", labels) + (failedIndex == 0 ? ""
                : "\napplied before it: " + String.join(", ",
                prepared.subList(0, failedIndex).stream().map(CheckedDocument.Prepared::label).toList()));
    }

    private void warn(List<String> warnings) {
        for (String warning : warnings) {
            root.env().err().println("warning: " + warning);
        }
        root.env().err().flush();
    }

    /** {@code --strict} when the control plane knows fewer fields than this client: stop, saying what is stored. */
    private static void refuseUnknownFieldsReportedBy(ApiResponse response, CheckedDocument.Prepared p) {
        if (response.warnings().stream().anyMatch(w -> UnknownField.isWarningAbout(w, p.type().name(), p.name()))) {
            throw new CtlException(p.label() + " was stored, but the control plane reported unknown fields "
                    + "(--strict), so the apply stops here: the documents after it were not sent");
        }
    }

    /** Without variables the text is sent as written, as kumactl does; with them it is a Mustache template. */
    private String render(String document, String label) {
        if (variables.isEmpty()) {
            return document;
        }
        try {
            return Templates.render(document, variables, label);
        } catch (Templates.TemplateException e) {
            throw new CtlException(e.getMessage(), e);
        }
    }

    /** Renders, parses and validates every document; numbers count the non-empty documents from 1. */
    private List<CheckedDocument> check(String text) {
        ResourceCodec codec = root.env().codec();
        DocumentChecker checker = new DocumentChecker(codec, unknownFieldMode());
        List<CheckedDocument> out = new ArrayList<>();
        for (String chunk : YamlDocuments.split(text)) {
            if (chunk.isBlank()) {
                continue;
            }
            int next = out.size() + 1;
            List<JsonNode> nodes;
            try {
                nodes = codec.parseYamlDocuments(render(chunk, DocumentChecker.label(next)));
            } catch (CtlException e) {
                out.add(new CheckedDocument.Invalid(DocumentChecker.label(next), List.of(new Violation("", e.getMessage()))));
                continue;
            } catch (DecodeException e) {
                List<Violation> violations = new ArrayList<>(e.violations());
                TemplatePlaceholders.withoutValue(chunk, variables)
                        .forEach(name -> violations.add(new Violation("", TemplatePlaceholders.message(name))));
                out.add(new CheckedDocument.Invalid(DocumentChecker.label(next), violations));
                continue;
            }
            for (JsonNode node : nodes) {
                out.add(checker.check(out.size() + 1, node));
            }
        }
        return out;
    }

    private static String describe(List<CheckedDocument.Invalid> invalid, int total) {
        StringBuilder message = new StringBuilder("invalid resources, nothing was applied (")
                .append(invalid.size()).append(" of ").append(total).append(total == 1 ? " document)" : " documents)");
        // only --strict makes an unknown field a violation
        if (invalid.stream().flatMap(doc -> doc.violations().stream())
                .anyMatch(v -> v.message().startsWith("unknown field"))) {
            message.append("; with --strict an unknown field is an error");
        }
        for (CheckedDocument.Invalid doc : invalid) {
            message.append('\n').append(doc.label()).append(':');
            for (Violation v : doc.violations()) {
                message.append("\n  ").append(v);
            }
        }
        return message.toString();
    }

    private String read() {
        if (file.equals("-")) {
            try {
                return new String(root.env().in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CtlException("could not read stdin: " + e.getMessage(), e);
            }
        }
        if (file.startsWith("http://") || file.startsWith("https://")) {
            return download(file);
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CtlException("could not read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new CtlException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private String download(String url) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).GET();
        } catch (IllegalArgumentException e) {
            throw new CtlException("invalid URL " + Texts.quote(url) + ": " + e.getMessage(), e);
        }
        if (!root.apiTimeout.isZero()) {
            request.timeout(root.apiTimeout);
        }
        try {
            HttpResponse<String> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .build().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new CtlException("could not download " + url + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new CtlException("could not download " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while downloading " + url, e);
        }
    }
}
