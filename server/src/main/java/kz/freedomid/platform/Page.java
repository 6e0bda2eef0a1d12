package kz.freedomid.platform;

import java.util.List;
import java.util.function.Function;

/** One page of a list and the cursor of the next one (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * From up to {@code limit + 1} rows fetched in order: the extra row only says that another page exists, and the
     * cursor points after the last row returned.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, PageCursor> cursorOf) {
        if (rows.size() <= limit) return new Page<>(rows, null);
        List<T> page = rows.subList(0, limit);
        return new Page<>(page, cursorOf.apply(page.get(limit - 1)).encode());
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
