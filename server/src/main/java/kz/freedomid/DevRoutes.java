package kz.freedomid;

import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.login.DevOutbox;
import kz.freedomid.platform.Json;

/** Development-only endpoints; not registered at all when development mode is off, so they answer 404. */
final class DevRoutes {
    private final DevOutbox outbox;

    DevRoutes(DevOutbox outbox) {
        this.outbox = outbox;
    }

    void register(RoutesConfig routes) {
        routes.get("/dev/outbox", ctx -> {
            String to = ctx.queryParam("to");
            // "?to=+7701…" as the log line prints it: the unencoded '+' arrives as a space.
            if (to != null && to.strip().matches("\\d+")) to = "+" + to.strip();
            var entries = outbox.to(to).stream().map(e -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("to", e.to());
                row.put("text", e.text());
                row.put("code", e.code());
                row.put("sent_at", Json.timestamp(e.sentAt()));
                return row;
            }).toList();
            ctx.contentType("application/json; charset=utf-8").header("Cache-Control", "no-store").result(Json.write(entries));
        });
    }
}
