package kz.freedomid.admin;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import kz.freedomid.App;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerChanges;
import kz.freedomid.partner.PartnerChanges.Change;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code partner show | update | disable | enable | set-permissions}: the admin API's partner operations, audited. */
final class PartnerAdminCommands {
    private PartnerAdminCommands() {}

    /** Comma-separated grant names, each known. */
    static Set<Grant> grants(List<String> names) {
        Set<Grant> parsed = EnumSet.noneOf(Grant.class);
        for (String g : names) {
            parsed.add(Grant.parse(g.trim()).orElseThrow(() -> new IllegalArgumentException("Unknown grant '" + g
                    + "'. Known grants: " + Arrays.stream(Grant.values()).map(Grant::wireName).toList())));
        }
        return parsed;
    }

    /** True for client_secret_jwt, false for the other methods a confidential partner may use. */
    static boolean clientSecretJwt(String method) {
        return switch (method) {
            case "client_secret_jwt" -> true;
            case "client_secret_basic", "client_secret_post", "private_key_jwt" -> false;
            default -> throw new IllegalArgumentException("--token-endpoint-auth-method must be client_secret_basic, "
                    + "client_secret_post, private_key_jwt or client_secret_jwt.");
        };
    }

    static UUID clientId(String raw) {
        return PartnerService.parseUuid(raw).orElseThrow(() -> new IllegalArgumentException("CLIENT_ID must be a UUID"));
    }

    /** Prints the partner (one JSON line with --json), or says there is none; the exit code. */
    static int print(CommandLine.Model.CommandSpec spec, String clientId, Optional<Partner> partner, boolean json) {
        if (partner.isEmpty()) {
            spec.commandLine().getErr().println("No partner with client_id " + clientId);
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> view = PartnerView.of(partner.get());
        if (json) {
            out.println(Json.write(view));
        } else {
            view.forEach((field, value) -> out.printf("%-26s %s%n", field + ":", value instanceof List<?> list
                    ? String.join(" ", list.stream().map(String::valueOf).toList()) : value == null ? "-" : value));
        }
        return 0;
    }

    @Command(name = "show", description = "Show a partner's settings (never its secret).")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--json", description = "Print one JSON object on one line.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            UUID id = clientId(clientId);
            try (App app = Cli.domain()) {
                return print(spec, clientId, app.partnerAdmin.find(id), json);
            }
        }
    }

    @Command(name = "update", description = "Change a partner's settings; options not given stay as they are, "
            + "a list option replaces the whole list, and an empty value (\"\") removes an optional setting.")
    static final class Update implements Callable<Integer> {
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--name") String name;
        @Option(names = "--redirect-uri", description = "Exact redirect URI; repeat for several.") List<String> redirectUris;
        @Option(names = "--grants", split = ",", description = "Comma-separated grants.") List<String> grants;
        @Option(names = "--revoke-uri", description = "Default URL for revoke callbacks (\"\" removes it).") String revokeUri;
        @Option(names = "--post-logout-redirect-uri", description = "Where OIDC logout may return; repeat for several "
                + "(\"\" removes them all).") List<String> postLogoutRedirectUris;
        @Option(names = "--backchannel-logout-uri", description = "OIDC back-channel logout endpoint (\"\" removes it).")
        String backchannel;
        @Option(names = "--permission", description = "Service-token permission, e.g. users:write; repeat for several "
                + "(\"\" removes them all).") List<String> permissions;
        @Option(names = "--id-token-alg", description = "RS256 or ES256.") String idTokenAlg;
        @Option(names = "--require-par", arity = "1", paramLabel = "true|false",
                description = "Whether /openid requires a pushed authorization request (RFC 9126).") Boolean requirePar;
        @Option(names = "--jwks", paramLabel = "FILE", description = "The client's PUBLIC JWK set for private_key_jwt.")
        java.nio.file.Path jwks;
        @Option(names = "--device-grant", arity = "1", paramLabel = "true|false",
                description = "Whether the partner may use the device authorization grant (RFC 8628).") Boolean deviceGrant;
        @Option(names = "--access-ttl-seconds", paramLabel = "SECONDS|default",
                description = "Access token lifetime (60 to 2592000), or default.") String accessTtl;
        @Option(names = "--refresh-ttl-seconds", paramLabel = "SECONDS|default",
                description = "Refresh token lifetime (300 to 31536000), or default.") String refreshTtl;
        @Option(names = "--token-endpoint-auth-method", paramLabel = "METHOD", description = "client_secret_jwt to accept "
                + "HMAC assertions from the next secret rotation on (the secret is then kept sealed); client_secret_basic to stop.")
        String authMethod;
        @Option(names = "--json", description = "Print the partner as one JSON object on one line.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            UUID id = clientId(clientId);
            PartnerChanges changes = new PartnerChanges(name, redirectUris, grants == null ? null : grants(grants),
                    optional(revokeUri), withoutEmpty(postLogoutRedirectUris), optional(backchannel),
                    permissions == null ? null : Set.copyOf(withoutEmpty(permissions)), idTokenAlg,
                    lifetime("--access-ttl-seconds", accessTtl), lifetime("--refresh-ttl-seconds", refreshTtl), null, requirePar,
                    jwks == null ? null : new Change<>(PartnerService.publicJwks(Cli.readFile(jwks))), deviceGrant);
            Boolean secretJwt = authMethod == null ? null : clientSecretJwt(authMethod);
            if (changes.equals(PartnerChanges.none()) && secretJwt == null) {
                throw new IllegalArgumentException("Nothing to change: give an option.");
            }
            try (App app = Cli.domain()) {
                if (secretJwt != null && !app.partnerAdmin.setClientSecretJwt(id, secretJwt, PartnerAdmin.CLI)) {
                    return print(spec, clientId, Optional.empty(), json);
                }
                return print(spec, clientId, changes.equals(PartnerChanges.none()) ? app.partnerAdmin.find(id)
                        : app.partnerAdmin.update(id, changes, PartnerAdmin.CLI), json);
            }
        }

        private static Change<String> optional(String value) {
            return value == null ? null : new Change<>(value.isEmpty() ? null : value);
        }

        private static List<String> withoutEmpty(List<String> values) {
            return values == null ? null : values.stream().filter(v -> !v.isEmpty()).toList();
        }

        private static Change<Duration> lifetime(String option, String value) {
            if (value == null) return null;
            if (value.equals("default")) return new Change<>(null);
            try {
                return new Change<>(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a number of seconds or 'default', not '" + value + "'");
            }
        }
    }

    @Command(name = "disable", description = "Disable a partner: its client authentication fails and its tokens stop "
            + "working at once (enable brings back those not yet expired).")
    static final class Disable implements Callable<Integer> {
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return setActive(spec, clientId, false);
        }
    }

    @Command(name = "enable", description = "Enable a disabled partner again.")
    static final class Enable implements Callable<Integer> {
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return setActive(spec, clientId, true);
        }
    }

    private static int setActive(CommandLine.Model.CommandSpec spec, String clientId, boolean active) {
        UUID id = clientId(clientId);
        try (App app = Cli.domain()) {
            if (app.partnerAdmin.setActive(id, active, PartnerAdmin.CLI).isEmpty()) {
                spec.commandLine().getErr().println("No partner with client_id " + clientId);
                return 1;
            }
        }
        spec.commandLine().getOut().printf("Partner %s is %s.%n", clientId, active ? "enabled" : "disabled");
        return 0;
    }

    @Command(name = "set-permissions", description = "Replace the permissions of the partner's service tokens "
            + "(client_credentials), e.g. users:write; none removes them all.")
    static final class SetPermissions implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--permission", description = "e.g. users:write; repeat for several, none to clear them all.")
        List<String> permissions = List.of();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            UUID id = clientId(clientId);
            try (App app = Cli.domain()) {
                Optional<Partner> updated = app.partnerAdmin.update(id,
                        PartnerChanges.none().withPermissions(Set.copyOf(permissions)), PartnerAdmin.CLI);
                if (updated.isEmpty()) {
                    spec.commandLine().getErr().println("No partner with client_id " + clientId);
                    return 1;
                }
                Set<String> now = updated.get().settings().permissions();
                spec.commandLine().getOut().printf("Permissions of %s: %s%n", clientId,
                        now.isEmpty() ? "none" : String.join(" ", new java.util.TreeSet<>(now)));
            }
            return 0;
        }
    }
}
