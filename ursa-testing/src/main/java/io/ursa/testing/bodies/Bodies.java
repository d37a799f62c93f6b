package io.ursa.testing.bodies;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of request bodies for property tests of every write path: mostly valid documents with a few edits
 * (so that validation, defaults and the store are reached), sometimes damaged text or the wrong media type.
 */
public final class Bodies {
    private Bodies() {
    }

    /** Recipes of zero to six edits; four in five keep their text whole and their matching media type. */
    public static Arbitrary<BodyRecipe> recipes() {
        return Combinators.combine(
                edits().list().ofMaxSize(6),
                Arbitraries.of(BodyRecipe.Form.class),
                Arbitraries.frequencyOf(
                        Tuple.of(16, Arbitraries.just(BodyRecipe.Damage.NONE)),
                        Tuple.of(1, Arbitraries.of(BodyRecipe.Damage.class))),
                Arbitraries.integers().between(0, 20_000),
                noise(),
                Arbitraries.frequencyOf(
                        Tuple.of(16, Arbitraries.just(BodyRecipe.Media.MATCHING)),
                        Tuple.of(1, Arbitraries.of(BodyRecipe.Media.class))))
                .as(BodyRecipe::new);
    }

    /** One edit of any kind at any position. */
    public static Arbitrary<Edit> edits() {
        return Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just(Edit.Kind.TWEAK)),
                        Tuple.of(4, Arbitraries.of(Edit.Kind.class))),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 100),
                JsonValues.strings(), JsonValues.any()).as(Edit::new);
    }

    /** Text that is not a resource: syntax fragments, YAML features, binary-ish characters. */
    static Arbitrary<String> noise() {
        return Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "null", "true", "42", "\"text\"", "---", "--- \n---\n", "- a\n- b\n",
                        "key: [unclosed", "a: &x 1\nb: *x\n", "a: !!binary AAAA\n", "!!python/object:os.system x",
                        "a: b\n  c: d\n", "\t- tab", "{\"a\":1,\"a\":2}", "{\"type\":\"Mesh\"}{}", "\uFEFF{}",
                        "%YAML 1.1\n---\na: 1\n", "<xml/>", "a: 0x1F\n", "a: .inf\n", "a: 1e999999\n"),
                Arbitraries.strings().all().ofMaxLength(64),
                Arbitraries.strings().ascii().ofMaxLength(64));
    }
}
