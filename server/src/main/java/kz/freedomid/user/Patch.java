package kz.freedomid.user;

/**
 * One field of a partial update (contract 3.9): left as it is (the field was omitted), cleared (sent as {@code null}),
 * or set to a value.
 */
public sealed interface Patch<T> {
    record Keep<T>() implements Patch<T> {}

    record Clear<T>() implements Patch<T> {}

    record Put<T>(T value) implements Patch<T> {}

    static <T> Patch<T> keep() {
        return new Keep<>();
    }

    static <T> Patch<T> clear() {
        return new Clear<>();
    }

    static <T> Patch<T> put(T value) {
        return value == null ? new Clear<>() : new Put<>(value);
    }

    /** The value after the change: {@code current} when kept, null when cleared. */
    default T applyTo(T current) {
        return switch (this) {
            case Keep<T> k -> current;
            case Clear<T> c -> null;
            case Put<T> p -> p.value();
        };
    }

    default boolean isKeep() {
        return this instanceof Keep<T>;
    }
}
