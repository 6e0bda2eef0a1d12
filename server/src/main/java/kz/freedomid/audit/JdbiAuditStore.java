package kz.freedomid.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.platform.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

public final class JdbiAuditStore implements AuditStore {
    /** The column is VARCHAR(4000); details past it are replaced by their keys, so an event is never lost for its size. */
    static final int MAX_DETAILS = 4000;
    private static final String INSERT = "INSERT INTO audit_events (id, occurred_at, actor_kind, actor_id, action, subject, "
            + "client_ip, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final Jdbi jdbi;

    public JdbiAuditStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void append(AuditEvent event) {
        jdbi.useHandle(h -> append(h, event));
    }

    /** For stores that record an event in their own transaction (token issue and refresh: no extra commit). */
    public static void append(Handle h, AuditEvent e) {
        h.createUpdate(INSERT)
                .bind(0, e.id()).bind(1, e.time()).bind(2, e.actor().kind().wireName()).bind(3, e.actor().id())
                .bind(4, e.action()).bind(5, e.subject()).bind(6, e.clientIp()).bind(7, detailsJson(e.details()))
                .execute();
    }

    @Override
    public List<AuditEvent> search(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT id, occurred_at, actor_kind, actor_id, action, subject, client_ip, "
                + "details FROM audit_events WHERE 1 = 1");
        if (q.actor() != null) sql.append(" AND actor_kind = :kind");
        if (q.actor() != null && q.actor().id() != null) sql.append(" AND actor_id = :actorId");
        if (q.subject() != null) sql.append(" AND subject = :subject");
        if (q.action() != null) sql.append(q.actionIsPrefix() ? " AND action LIKE :action ESCAPE '\\'" : " AND action = :action");
        if (q.since() != null) sql.append(" AND occurred_at >= :since");
        if (q.until() != null) sql.append(" AND occurred_at < :until");
        if (q.after() != null) {
            sql.append(" AND (occurred_at < :afterTime OR (occurred_at = :afterTime AND id < :afterId))");
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC FETCH FIRST ").append(q.limit() + 1).append(" ROWS ONLY");
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql.toString());
            if (q.actor() != null) query.bind("kind", q.actor().kind().wireName());
            if (q.actor() != null && q.actor().id() != null) query.bind("actorId", q.actor().id());
            if (q.subject() != null) query.bind("subject", q.subject());
            if (q.action() != null) query.bind("action", q.actionIsPrefix() ? likePrefix(q.action()) : q.action());
            if (q.since() != null) query.bind("since", q.since());
            if (q.until() != null) query.bind("until", q.until());
            if (q.after() != null) query.bind("afterTime", q.after().time()).bind("afterId", q.after().id());
            return query.map(JdbiAuditStore::map).list();
        });
    }

    @Override
    public int deleteBefore(Instant cutoff, int batch) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events "
                        + "WHERE occurred_at < :cutoff FETCH FIRST " + batch + " ROWS ONLY)")
                .bind("cutoff", cutoff).execute());
    }

    static String detailsJson(Map<String, Object> details) {
        String json = Json.write(details);
        if (json.length() <= MAX_DETAILS) return json;
        Map<String, Object> shortened = new LinkedHashMap<>();
        shortened.put("truncated", true);
        shortened.put("keys", List.copyOf(details.keySet()));
        return Json.write(shortened);
    }

    /** {@code token.*} → {@code token.%}, with LIKE's own wildcards in the prefix escaped. */
    private static String likePrefix(String action) {
        String prefix = action.substring(0, action.length() - 1);
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static AuditEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        Map<String, Object> details;
        try {
            details = Json.MAPPER.readValue(rs.getString("details"), MAP);
        } catch (JsonProcessingException e) {
            details = Map.of("unreadable", true);
        }
        Actor.Kind kind = Actor.Kind.parse(rs.getString("actor_kind")).orElse(Actor.Kind.SYSTEM);
        return new AuditEvent(rs.getObject("id", UUID.class), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                new Actor(kind, rs.getString("actor_id")), rs.getString("action"), rs.getString("subject"),
                rs.getString("client_ip"), details);
    }
}
