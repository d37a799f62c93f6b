package io.ursa.xds.generator.template;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The operations of the {@code networkFilter} and {@code httpFilter} modifications on one list of filters
 * (Kuma 2.0's {@code network_filter.go} and {@code http_filter.go}):
 * <ul>
 *   <li>{@code addFirst}, {@code addLast}: the new filter at the start or the end;</li>
 *   <li>{@code addBefore}, {@code addAfter}: next to the first filter named {@code match.name}; nothing when there
 *       is none;</li>
 *   <li>{@code patch}: every filter named {@code match.name} (every filter when it is empty) gets the patch;</li>
 *   <li>{@code remove}: every filter named {@code match.name} (every filter when it is empty) goes.</li>
 * </ul>
 * Stateless.
 *
 * @param <F> the filter type
 */
record FilterLists<F>(Function<F, String> nameOf) {
    /**
     * The filters after {@code operation}.
     *
     * @param added the value, for the adds
     * @param patch what a patch does to one filter
     */
    List<F> apply(List<F> filters, String operation, String name, F added, UnaryOperator<F> patch) {
        List<F> result = new ArrayList<>(filters);
        switch (operation) {
            case "addFirst" -> result.add(0, added);
            case "addLast" -> result.add(added);
            case "addBefore", "addAfter" -> {
                int index = indexOf(filters, name);
                if (index >= 0) {
                    result.add(operation.equals("addBefore") ? index : index + 1, added);
                }
            }
            case "patch" -> result.replaceAll(filter -> selects(filter, name) ? patch.apply(filter) : filter);
            case "remove" -> result.removeIf(filter -> selects(filter, name));
            default -> throw Modifiers.invalidOperation(operation,
                    "addFirst, addLast, addBefore, addAfter, patch, remove");
        }
        return result;
    }

    private boolean selects(F filter, String name) {
        return name.isEmpty() || name.equals(nameOf.apply(filter));
    }

    private int indexOf(List<F> filters, String name) {
        for (int i = 0; i < filters.size(); i++) {
            if (nameOf.apply(filters.get(i)).equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
