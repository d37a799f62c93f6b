package io.ursa.api.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code networking}. */
public record Networking(Outbound outbound) {
    /**
     * {@code networking.outbound}. {@code passthrough} is a {@code BoolValue}: null when unset, which counts as
     * true (see {@link MeshSpec#isPassthrough()}); an explicit false is kept and written.
     */
    public record Outbound(@JsonInclude(JsonInclude.Include.NON_NULL) Boolean passthrough) {
    }
}
