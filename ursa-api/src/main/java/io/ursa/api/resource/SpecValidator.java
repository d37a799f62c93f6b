package io.ursa.api.resource;

import io.ursa.api.validation.Violations;

/**
 * Stateless shape validation of one spec. Adds every violation it finds, with paths relative to the spec root
 * (which for Kuma's legacy types is also the resource's top level).
 */
@FunctionalInterface
public interface SpecValidator<S extends Spec> {
    void validate(S spec, Violations violations);

    static <S extends Spec> SpecValidator<S> none() {
        return (spec, violations) -> { };
    }
}
