package kz.freedomid.platform;

import io.javalin.http.Context;
import java.util.concurrent.ThreadLocalRandom;

/** A short id per request, returned as X-Request-Id and written beside every error in the log. */
public final class RequestIds {
    private RequestIds() {}

    public static void assign(Context ctx) {
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        ctx.attribute("freedom.requestId", id);
        ctx.header("X-Request-Id", id);
    }

    public static String of(Context ctx) {
        Object id = ctx.attribute("freedom.requestId");
        return id == null ? "-" : id.toString();
    }
}
