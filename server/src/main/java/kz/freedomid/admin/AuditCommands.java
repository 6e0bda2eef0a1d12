package kz.freedomid.admin;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kz.freedomid.App;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditQuery;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.Page;
import kz.freedomid.platform.PageCursor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "The audit trail of sign-ins, consents, tokens and admin actions.",
        subcommands = {AuditCommands.AuditList.class})
final class AuditCommands {
    @Command(name = "list", description = "Audit events, newest first.")
    static final class AuditList implements Callable<Integer> {
        @Option(names = "--actor", description = "user, partner, admin or system, optionally with :id (partner:CLIENT_ID).")
        String actor;
        @Option(names = "--subject", description = "A user id, client_id or key id.") String subject;
        @Option(names = "--action", description = "An action such as signin.failure, or a prefix such as token.*.")
        String action;
        @Option(names = "--since", description = "ISO-8601 UTC time, inclusive.") String since;
        @Option(names = "--until", description = "ISO-8601 UTC time, exclusive.") String until;
        @Option(names = "--limit", description = "1 to 200 (default 50).", defaultValue = "50") int limit;
        @Option(names = "--cursor", description = "The next_cursor of the previous page.") String cursor;
        @Option(names = "--json", description = "Print one JSON object on one line.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            AuditQuery query = query();
            try (App app = Cli.domain()) {
                Page<AuditEvent> page = app.audit.search(query);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("events", page.items().stream().map(AuditView::of).toList());
                    body.put("next_cursor", page.nextCursor());
                    out.println(Json.write(body));
                    return 0;
                }
                for (AuditEvent e : page.items()) {
                    out.printf("%s  %-28s %-45s %-36s %-15s %s%n", Json.timestamp(e.time()), e.action(), e.actor(),
                            e.subject() == null ? "-" : e.subject(), e.clientIp() == null ? "-" : e.clientIp(),
                            Json.write(e.details()));
                }
                if (page.nextCursor() != null) out.println("More: --cursor " + page.nextCursor());
            }
            return 0;
        }

        /** The same filters and limits as the admin API; a bad one is a clear message and exit code 2. */
        private AuditQuery query() {
            FieldErrors errors = new FieldErrors();
            if (limit < 1 || limit > Paging.MAX_LIMIT) errors.add("limit", "--limit must be between 1 and " + Paging.MAX_LIMIT + ".");
            PageCursor after = null;
            if (cursor != null) {
                after = PageCursor.decode(cursor).orElse(null);
                if (after == null) errors.add("cursor", "--cursor is not one this command printed.");
            }
            AuditQuery query = AuditFilters.parse(actor, subject, action, since, until, limit, after, errors);
            try {
                errors.throwIfAny();
            } catch (FreedomException e) {
                throw new IllegalArgumentException(String.join(" ", e.fieldErrors().values().stream()
                        .flatMap(java.util.List::stream).toList()));
            }
            return query;
        }
    }
}
