package kz.freedomid.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.platform.Json;

/** An audit event as the admin API and {@code audit list --json} print it. */
final class AuditView {
    private AuditView() {}

    static Map<String, Object> of(AuditEvent e) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("kind", e.actor().kind().wireName());
        actor.put("id", e.actor().id());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id().toString());
        out.put("time", Json.timestamp(e.time()));
        out.put("actor", actor);
        out.put("action", e.action());
        out.put("subject", e.subject());
        out.put("client_ip", e.clientIp());
        out.put("details", e.details());
        return out;
    }
}
