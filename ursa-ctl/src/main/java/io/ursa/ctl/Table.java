package io.ursa.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table laid out like kumactl's (Go {@code tabwriter} with padding 3): every column but the last is
 * padded to its widest cell plus three spaces; the last is written as is. An optional footer follows an empty
 * line.
 */
final class Table {
    private static final int PADDING = 3;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private String footer = "";

    Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    Table row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row has " + cells.size() + " cells (expected: " + headers.size()
                    + ")");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    Table footer(String text) {
        this.footer = text;
        return this;
    }

    String render() {
        int[] widths = new int[headers.size()];
        List<List<String>> lines = new ArrayList<>();
        lines.add(headers);
        lines.addAll(rows);
        for (List<String> line : lines) {
            for (int i = 0; i < line.size() - 1; i++) {
                widths[i] = Math.max(widths[i], width(line.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                out.append(cell);
                if (i < line.size() - 1) {
                    out.append(" ".repeat(widths[i] + PADDING - width(cell)));
                }
            }
            out.append('\n');
        }
        if (!footer.isEmpty()) {
            out.append('\n').append(footer).append('\n');
        }
        return out.toString();
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
