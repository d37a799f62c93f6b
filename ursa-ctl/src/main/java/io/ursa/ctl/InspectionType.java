package io.ursa.ctl;

import java.util.Arrays;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code inspect dataplane --type}: kumactl's names, and the endpoint under {@code /meshes/{mesh}/dataplanes/{name}}
 * that answers each. kumactl's {@code stats} and {@code clusters} relay the Envoy admin API, which Ursa does not.
 */
enum InspectionType {
    POLICIES("policies", "policies"),
    CONFIG_DUMP("config-dump", "xds");

    private final String flag;
    private final String endpoint;

    InspectionType(String flag, String endpoint) {
        this.flag = flag;
        this.endpoint = endpoint;
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        return flag;
    }

    /** picocli converter: the kumactl name of a type. */
    static final class Converter implements ITypeConverter<InspectionType> {
        @Override
        public InspectionType convert(String value) {
            return Arrays.stream(values()).filter(t -> t.flag.equals(value)).findFirst().orElseThrow(() ->
                    new TypeConversionException("invalid inspection type: " + Texts.quote(value)
                            + " (expected: policies or config-dump; Envoy's stats and clusters are not relayed)"));
        }
    }
}
