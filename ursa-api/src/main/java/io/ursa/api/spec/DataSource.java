package io.ursa.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/**
 * Kuma's {@code DataSource} ({@code system/v1alpha1/datasource.proto}): where a certificate or key comes from.
 * A {@code oneof}: at most one member is set; a member set to an empty value is still written out.
 */
public record DataSource(
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
        @JsonInclude(JsonInclude.Include.NON_NULL) String file,
        @JsonInclude(JsonInclude.Include.NON_NULL) Base64Bytes inline,
        @JsonInclude(JsonInclude.Include.NON_NULL) String inlineString) {

    public DataSource {
        ProtoFields.atMostOne("secret, file, inline, inlineString", secret, file, inline, inlineString);
    }

    public static DataSource ofSecret(String name) {
        return new DataSource(name, null, null, null);
    }

    public static DataSource ofFile(String path) {
        return new DataSource(null, path, null, null);
    }

    public static DataSource ofInlineString(String value) {
        return new DataSource(null, null, null, value);
    }

    /** Kuma's {@code ValidateDataSource}: when present, the chosen member must not be empty. */
    public static void validate(Path path, DataSource source, Violations violations) {
        if (source == null) {
            return;
        }
        boolean empty = (source.inline == null || source.inline.isEmpty())
                && ProtoFields.text(source.inlineString).isEmpty()
                && ProtoFields.text(source.secret).isEmpty()
                && ProtoFields.text(source.file).isEmpty();
        if (empty) {
            violations.add(path, "data source cannot be empty");
        }
    }
}
