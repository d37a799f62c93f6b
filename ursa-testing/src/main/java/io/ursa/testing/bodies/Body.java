package io.ursa.testing.bodies;

import java.util.Optional;

/** A generated request body and the {@code Content-Type} it is sent with (none when empty). */
public record Body(String text, Optional<String> contentType) {
    @Override
    public String toString() {
        String shown = text.length() > 2_000 ? text.substring(0, 2_000) + "...(" + text.length() + " chars)" : text;
        return contentType.orElse("(no content type)") + "\n" + shown;
    }
}
