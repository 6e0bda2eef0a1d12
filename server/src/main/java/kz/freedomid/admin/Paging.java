package kz.freedomid.admin;

import io.javalin.http.Context;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.PageCursor;

/**
 * {@code ?limit=&cursor=} of the admin API's lists: limit 1 to 200 (default 50), the cursor the previous page returned
 * as {@code next_cursor}. Keyset paging: a page does not shift when rows are added meanwhile.
 */
record Paging(int limit, PageCursor cursor) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    static Paging parse(Context ctx, FieldErrors errors) {
        int limit = DEFAULT_LIMIT;
        String rawLimit = ctx.queryParam("limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
                if (limit < 1 || limit > MAX_LIMIT) errors.add("limit", "The limit must be between 1 and " + MAX_LIMIT + ".");
            } catch (NumberFormatException e) {
                errors.add("limit", "The limit must be a whole number.");
            }
        }
        String rawCursor = ctx.queryParam("cursor");
        PageCursor cursor = null;
        if (rawCursor != null && !rawCursor.isEmpty()) {
            cursor = PageCursor.decode(rawCursor).orElse(null);
            if (cursor == null) errors.add("cursor", "The cursor is not one this server returned.");
        }
        return new Paging(limit, cursor);
    }
}
