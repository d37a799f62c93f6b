package io.ursa.api.resource;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The one descriptor of a resource type: its Kuma name, scope, spec class, REST collection, CLI names,
 * validator and defaulter. Every subsystem (store, REST, CLI) enumerates {@link ResourceTypes} instead of
 * switching on type names. Instances are compared by identity.
 */
public final class ResourceType<S extends Spec> {
    private final String name;
    private final Scope scope;
    private final Class<S> specClass;
    private final String wsPath;
    private final String cliSingular;
    private final String cliPlural;
    private final String singularDisplayName;
    private final String pluralDisplayName;
    private final SpecValidator<S> validator;
    private final UnaryOperator<S> defaulter;
    private final Set<Trait> traits;

    private ResourceType(Builder<S> b) {
        this.name = requireNonNull(b.name, "name");
        this.scope = requireNonNull(b.scope, "scope");
        this.specClass = requireNonNull(b.specClass, "specClass");
        this.wsPath = requireNonNull(b.wsPath, "wsPath");
        this.cliSingular = requireNonNull(b.cliSingular, "cliSingular");
        this.cliPlural = requireNonNull(b.cliPlural, "cliPlural");
        this.singularDisplayName = requireNonNull(b.singularDisplayName, "singularDisplayName");
        this.pluralDisplayName = requireNonNull(b.pluralDisplayName, "pluralDisplayName");
        this.validator = requireNonNull(b.validator, "validator");
        this.defaulter = requireNonNull(b.defaulter, "defaulter");
        this.traits = Set.copyOf(b.traits);
    }

    public static <S extends Spec> Builder<S> builder(String name, Class<S> specClass) {
        return new Builder<>(name, specClass);
    }

    /** Kuma's type name, e.g. {@code TrafficPermission}. */
    public String name() {
        return name;
    }

    public Scope scope() {
        return scope;
    }

    public Class<S> specClass() {
        return specClass;
    }

    /** The REST collection, e.g. {@code traffic-permissions}. */
    public String wsPath() {
        return wsPath;
    }

    /** The CLI argument for one resource, e.g. {@code traffic-permission}. */
    public String cliSingular() {
        return cliSingular;
    }

    /** The CLI argument for the list, e.g. {@code traffic-permissions}. */
    public String cliPlural() {
        return cliPlural;
    }

    /** e.g. {@code Traffic Permission}. */
    public String singularDisplayName() {
        return singularDisplayName;
    }

    /** e.g. {@code Traffic Permissions}. */
    public String pluralDisplayName() {
        return pluralDisplayName;
    }

    public SpecValidator<S> validator() {
        return validator;
    }

    /** Fills in defaults; runs on every create and update, before validation. */
    public S applyDefaults(S spec) {
        return defaulter.apply(spec);
    }

    public boolean has(Trait trait) {
        return traits.contains(trait);
    }

    public boolean isMeshScoped() {
        return scope == Scope.MESH;
    }

    @Override
    public String toString() {
        return name;
    }

    public static final class Builder<S extends Spec> {
        private final String name;
        private final Class<S> specClass;
        private Scope scope = Scope.MESH;
        private String wsPath;
        private String cliSingular;
        private String cliPlural;
        private String singularDisplayName;
        private String pluralDisplayName;
        private SpecValidator<S> validator = SpecValidator.none();
        private UnaryOperator<S> defaulter = UnaryOperator.identity();
        private final Set<Trait> traits = EnumSet.noneOf(Trait.class);

        private Builder(String name, Class<S> specClass) {
            this.name = requireNonNull(name, "name");
            this.specClass = requireNonNull(specClass, "specClass");
        }

        public Builder<S> scope(Scope value) {
            this.scope = value;
            return this;
        }

        public Builder<S> wsPath(String value) {
            this.wsPath = value;
            return this;
        }

        public Builder<S> cli(String singular, String plural) {
            this.cliSingular = singular;
            this.cliPlural = plural;
            return this;
        }

        public Builder<S> displayNames(String singular, String plural) {
            this.singularDisplayName = singular;
            this.pluralDisplayName = plural;
            return this;
        }

        public Builder<S> validator(SpecValidator<S> value) {
            this.validator = value;
            return this;
        }

        public Builder<S> defaulter(UnaryOperator<S> value) {
            this.defaulter = value;
            return this;
        }

        public Builder<S> trait(Trait trait) {
            this.traits.add(trait);
            return this;
        }

        public ResourceType<S> build() {
            return new ResourceType<>(this);
        }
    }
}
