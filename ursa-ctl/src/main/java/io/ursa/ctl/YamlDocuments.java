package io.ursa.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a YAML stream into the text of its documents at {@code ---} lines, so that each document can be
 * rendered as a template and reported on by itself. A {@code ---} line always starts a new document in YAML
 * (a block scalar cannot contain one at column 0), so no parsing is needed. Documents may still be empty.
 */
final class YamlDocuments {
    private static final Pattern MARKER = Pattern.compile("^---(?:[ \\t].*)?$");

    private YamlDocuments() {
    }

    static List<String> split(String text) {
        List<String> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            if (MARKER.matcher(line).matches()) {
                documents.add(current.toString());
                current.setLength(0);
                String rest = line.substring(3).strip();
                if (!rest.isEmpty()) {
                    current.append(rest).append('\n');
                }
            } else {
                current.append(line).append('\n');
            }
        }
        documents.add(current.toString());
        return documents;
    }
}
