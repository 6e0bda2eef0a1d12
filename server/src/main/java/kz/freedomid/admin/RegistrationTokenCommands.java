package kz.freedomid.admin;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import kz.freedomid.App;
import kz.freedomid.platform.Json;
import kz.freedomid.registration.InitialAccessTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freedom-id registration-token create | list | revoke}: initial access tokens for dynamic client registration. */
@Command(name = "registration-token", description = "Initial access tokens for dynamic client registration (RFC 7591).",
        subcommands = {RegistrationTokenCommands.Create.class, RegistrationTokenCommands.ListTokens.class,
                RegistrationTokenCommands.Revoke.class})
final class RegistrationTokenCommands {

    @Command(name = "create", description = "Issue an initial access token; it is printed once and stored only as a hash.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--expires-in", paramLabel = "DURATION",
                description = "Lifetime: 30m, 12h, 7d or ISO-8601 (PT12H); default 1d, at most 365d.") String expiresIn;
        @Option(names = "--uses", paramLabel = "N", description = "How many clients it may register; default no limit.")
        Integer uses;
        @Option(names = "--note", description = "What it is for (shown by list).") String note;
        @Option(names = "--json", description = "Print one JSON object on one line.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Duration lifetime = expiresIn == null ? null : duration(expiresIn);
            try (App app = Cli.domain()) {
                var issued = app.registrationTokens.create(lifetime, uses, note, PartnerAdmin.CLI);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> row = view(issued.info(), issued.info().createdAt());
                    row.put("token", issued.token());
                    out.println(Json.write(row));
                } else {
                    out.printf("id:         %s%ntoken:      %s%nexpires_at: %s%nuses:       %s%n"
                                    + "Keep the token safe: it is shown only once. Clients register with%n"
                                    + "  POST %s/api/v1/oidc/register  Authorization: Bearer <token>%n",
                            issued.info().id(), issued.token(), issued.info().expiresAt(),
                            uses == null ? "no limit" : uses, app.config.issuer());
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List initial access tokens (never their values).")
    static final class ListTokens implements Callable<Integer> {
        @Option(names = "--json", description = "Print a JSON array.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (App app = Cli.domain()) {
                List<InitialAccessTokens.TokenInfo> tokens = app.registrationTokens.list();
                Instant now = app.registrationTokens.now();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.write(tokens.stream().map(t -> view(t, now)).toList()));
                } else {
                    for (var t : tokens) {
                        out.printf("%s  %-8s  expires %s  uses %d/%s  %s%n", t.id(), t.status(now), t.expiresAt(), t.uses(),
                                t.maxUses() == null ? "-" : t.maxUses(), t.note() == null ? "" : t.note());
                    }
                    if (tokens.isEmpty()) out.println("No registration tokens: ./freedom-id registration-token create");
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke an initial access token; clients it registered stay registered.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            UUID tokenId = kz.freedomid.partner.PartnerService.parseUuid(id)
                    .orElseThrow(() -> new IllegalArgumentException("ID must be a UUID"));
            try (App app = Cli.domain()) {
                if (!app.registrationTokens.revoke(tokenId, PartnerAdmin.CLI)) {
                    spec.commandLine().getErr().println("No active registration token with id " + id);
                    return 1;
                }
                spec.commandLine().getOut().printf("Registration token %s revoked.%n", id);
            }
            return 0;
        }
    }

    static Map<String, Object> view(InitialAccessTokens.TokenInfo t, Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", t.id().toString());
        row.put("status", t.status(now));
        row.put("note", t.note());
        row.put("created_at", Json.timestamp(t.createdAt()));
        row.put("expires_at", Json.timestamp(t.expiresAt()));
        row.put("max_uses", t.maxUses());
        row.put("uses", t.uses());
        row.put("revoked_at", t.revokedAt() == null ? null : Json.timestamp(t.revokedAt()));
        return row;
    }

    /** {@code 30m}, {@code 12h}, {@code 7d}, {@code 90s} or an ISO-8601 duration. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d{1,6}[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--expires-in: expected 30m, 12h, 7d or an ISO-8601 duration, got '" + text + "'");
        }
    }
}
