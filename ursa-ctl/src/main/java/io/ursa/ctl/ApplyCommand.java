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
 * {@code apply -f FILE|-|URL [-v key=value]... [--dry-run] [--strict]} (spec §9.1). Every document is rendered,
 * decoded and validated before anything is sent; one invalid document stops the whole apply. Then each resource is
 * {@code PUT} (create or update) in order, stopping at the first error.
 *
 * <p>Fields a type does not know are dropped, as Kuma drops them, and each is a warning on stderr
 * ({@code warning: mesh demo: unknown field "mtsl" (did you mean "mtls"?)}): the control plane's {@code Warning}
 * headers, and, for the keys the Universal body leaves out (unknown meta keys of the Kubernetes form), this
 * client's own. With {@code --strict} they are errors, found here with the same codec the control plane uses,
 * before anything is sent: the apply fails with exit code 1 and nothing is stored. Should the control plane still
 * report an unknown field (it knows fewer fields than this client), the apply stops there with exit code 1; that
 * document is stored, the ones after it are not sent.
 */
@Command(name = "apply", description = "Create or modify resources from YAML (Universal or Kubernetes form).")
final class ApplyCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "file to apply: a path, - for stdin, or an http(s) URL")
    String file;

    @Option(names = {"-v", "--var"}, paramLabel = "KEY=VALUE",
            description = "variable for the Mustache template {{ KEY }}; dotted keys nest (a.b=x is {{ a.b }})")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "print the rendered resources as YAML and send nothing")
    boolean dryRun;

    @Option(names = "--strict", description = "refuse the whole apply, before anything is sent, when a document "
            + "has a field its type does not know (by default such fields are dropped with a warning)")
    boolean strict;

    private final RootCommand root;

    ApplyCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
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
        if (dryRun) {
            prepared.forEach(p -> warn(p.warnings(p.unknownFields())));
            ResourceCodec codec = root.env().codec();
            out.print(String.join("---\n", prepared.stream().map(p -> codec.writeYaml(p.body())).toList()));
            out.flush();
            return 0;
        }
        ControlPlaneClient client = root.client();
        for (CheckedDocument.Prepared p : prepared) {
            ApiResponse response = client.put(p.path(), root.env().codec().writeJson(p.body()));
            if (!response.isSuccess()) {
                throw new CtlException("could not apply " + p.label() + ": " + response.errorMessage());
            }
            String verb = switch (response.status()) {
                case 201 -> "created";
                case 200 -> "updated";
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
        return 0;
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
        DocumentChecker checker = new DocumentChecker(codec,
                strict ? UnknownFieldMode.REFUSE : UnknownFieldMode.WARN);
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
