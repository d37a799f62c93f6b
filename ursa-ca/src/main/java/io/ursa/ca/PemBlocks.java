package io.ursa.ca;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The PEM blocks of some bytes, found the way Go's {@code pem.Decode} finds them: a {@code -----BEGIN T-----}
 * line, optional {@code Key: value} headers, base64 body, and a matching {@code -----END T-----} line. Malformed
 * blocks (no matching end, bad base64) are skipped, as Go skips them.
 */
final class PemBlocks {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private PemBlocks() {
    }

    /** One block: its type ({@code CERTIFICATE}, {@code RSA PRIVATE KEY}, ...) and decoded bytes. */
    record Block(String type, byte[] bytes) {
    }

    static List<Block> decode(byte[] data) {
        // ISO-8859-1 maps bytes one to one, so indices are byte offsets.
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = lineStart(text, BEGIN, from);
            if (begin < 0) {
                return blocks;
            }
            int typeStart = begin + BEGIN.length();
            from = typeStart;
            int typeEnd = lineEnd(text, typeStart);
            String typeLine = trimLine(text.substring(typeStart, typeEnd));
            if (!typeLine.endsWith(DASHES)) {
                continue;
            }
            String type = typeLine.substring(0, typeLine.length() - DASHES.length());
            int bodyStart = Math.min(typeEnd + 1, text.length());
            int end = lineStart(text, END, bodyStart);
            if (end < 0) {
                continue;
            }
            int trailerEnd = lineEnd(text, end);
            if (!trimLine(text.substring(end, trailerEnd)).equals(END + type + DASHES)) {
                continue;
            }
            byte[] bytes = decodeBody(text.substring(bodyStart, end));
            if (bytes == null) {
                continue;
            }
            blocks.add(new Block(type, bytes));
            from = trailerEnd;
        }
    }

    /** The base64 body after any {@code Key: value} header lines; null when it is not base64. */
    private static byte[] decodeBody(String body) {
        String[] lines = body.split("\n", -1);
        StringBuilder base64 = new StringBuilder();
        boolean inHeaders = true;
        for (String line : lines) {
            if (inHeaders && line.contains(":")) {
                continue;
            }
            inHeaders = false;
            base64.append(line.replaceAll("[ \t\r]", ""));
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int lineStart(String text, String marker, int from) {
        for (int i = text.indexOf(marker, from); i >= 0; i = text.indexOf(marker, i + 1)) {
            if (i == 0 || text.charAt(i - 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lineEnd(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline;
    }

    private static String trimLine(String line) {
        int end = line.length();
        while (end > 0 && " \t\r".indexOf(line.charAt(end - 1)) >= 0) {
            end--;
        }
        return line.substring(0, end);
    }
}
