package io.ursa.api.mesh;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.ProtoEnumZero;
import io.ursa.api.spec.ProtoEnums;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code mtls}: the mesh's CA backends and the one that is enabled. mTLS is on when {@code enabledBackend} is
 * set; validation allows at most one backend.
 */
public record Mtls(String enabledBackend, List<Backend> backends) {
    public Mtls {
        enabledBackend = Objects.requireNonNullElse(enabledBackend, "");
        backends = Lists.copyOf(backends);
    }

    /** The backend called {@code name}, if any. */
    public Optional<Backend> backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * One CA backend ({@code CertificateAuthorityBackend}). {@code type} is {@code builtin} or {@code provided};
     * {@code conf} is the type's free-form config, checked by its CA plugin.
     */
    public record Backend(String name, String type, DpCert dpCert,
                          @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode conf,
                          @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) Mode mode,
                          RootChain rootChain) {
        public Backend {
            name = Objects.requireNonNullElse(name, "");
            type = Objects.requireNonNullElse(type, "");
            conf = conf == null ? null : ConfNodes.canonicalCopy(conf);
            mode = Objects.requireNonNullElse(mode, Mode.STRICT);
        }

        /** A copy of {@code conf}; null when absent. */
        @Override
        public ObjectNode conf() {
            return conf == null ? null : conf.deepCopy();
        }
    }

    /** {@code dpCert}: the data plane certificates this backend issues. */
    public record DpCert(Rotation rotation, ProtoDuration requestTimeout) {
    }

    /** {@code dpCert.rotation.expiration}, in {@link KumaDuration} syntax; empty means the default 24h. */
    public record Rotation(String expiration) {
        public Rotation {
            expiration = Objects.requireNonNullElse(expiration, "");
        }
    }

    /** {@code rootChain}. */
    public record RootChain(ProtoDuration requestTimeout) {
    }

    /** How inbound listeners treat plaintext. {@code STRICT} is the proto zero value and is never written. */
    public enum Mode {
        STRICT,
        PERMISSIVE;

        /** Accepts the names and, like {@code jsonpb}, the enum numbers 0 and 1. */
        @JsonCreator
        static Mode fromJson(JsonNode value) {
            return ProtoEnums.parse(Mode.class, value);
        }
    }
}
