package kz.freedomid.admin;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import kz.freedomid.App;
import kz.freedomid.demo.DemoSeed;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerChanges;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.Json;
import kz.freedomid.user.ContactTakenException;
import kz.freedomid.user.NewUser;
import kz.freedomid.user.User;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freedom-id serve | partner … | user …}. Admin commands work on the same database while the server runs. */
@Command(name = "freedom-id", mixinStandardHelpOptions = true, version = "Freedom ID server 0.1",
        description = "Freedom ID identity provider.",
        subcommands = {Cli.Serve.class, Cli.PartnerCommands.class, Cli.UserCommands.class, Cli.KeyCommands.class,
                AuditCommands.class, RegistrationTokenCommands.class})
public final class Cli {
    static final int BAD_INPUT = 2;

    public static int run(String[] args) {
        CommandLine cli = new CommandLine(new Cli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> explain(e, cmd.getErr()));
        return cli.execute(args);
    }

    /**
     * {@code serve} without options, straight from {@code Main}: picocli's model of every subcommand would add about
     * 0.3 s to the time to ready (its classes are too old a format for the class cache, so they load and run cold).
     */
    public static int runServe() throws Exception {
        try {
            return serve();
        } catch (Exception e) {
            return explain(e, new PrintWriter(System.err, true));
        }
    }

    /** A mistake in the input is one line and exit code 2; anything else goes on as an error. */
    private static int explain(Exception e, PrintWriter err) throws Exception {
        if (e instanceof Config.BadSettingException || e instanceof IllegalArgumentException
                || e instanceof ContactTakenException) {
            err.println(e instanceof ContactTakenException ? "Phone or email already belongs to another user." : e.getMessage());
            return BAD_INPUT;
        }
        throw e;
    }

    static App domain() {
        return new App(Config.fromEnvironment(), Clock.systemUTC());
    }

    @Command(name = "serve", description = "Start the server (configuration from FREEDOM_ID_* environment variables).")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            return serve();
        }
    }

    private static int serve() throws InterruptedException {
        Config config = Config.fromEnvironment();
        App app = new App(config, Clock.systemUTC()).start();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop = () -> {
            if (closed.compareAndSet(false, true)) app.close();
            stopped.countDown();
        };
        stopOnSignals(stop);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown")); // any other way out
        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("Freedom ID is listening on %s (port %d), database %s%s%n", config.issuer(), app.port(),
                config.dbUrl().startsWith("jdbc:h2:") ? "H2 in " + config.dataDir() : "PostgreSQL",
                config.dev() ? ", development mode" : "");
        DemoSeed.DemoPartner demo = app.demoPartner();
        if (demo != null) {
            out.printf("Demo partner: open %s/demo  (client_id %s; its secret is in %s)%n", config.issuer(),
                    demo.clientId(), config.dataDir().resolve("demo-partner.properties"));
            out.printf("Demo user:    phone %s, password %s (or an SMS code from %s/dev/outbox)%n",
                    DemoSeed.DEMO_PHONE, DemoSeed.DEMO_PASSWORD, config.issuer());
        }
        stopped.await();
        return 0;
    }

    /**
     * SIGTERM and SIGINT stop the server before the JVM begins to shut down, rather than from a shutdown hook: hooks run
     * all at once, and H2's own (it closes a file database at exit) raced with ours, failing the job queue's last
     * statements on a closed database. The main thread then exits.
     */
    private static void stopOnSignals(Runnable stop) {
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException taken) {
                // the JVM keeps this signal (-Xrs, or a platform without it): the shutdown hook stops the server
            }
        }
    }

    @Command(name = "partner", description = "Register and manage partners.",
            subcommands = {PartnerCreate.class, PartnerList.class, PartnerRotateSecret.class, PartnerSetProfileJwk.class,
                    PartnerAdminCommands.Show.class, PartnerAdminCommands.Update.class, PartnerAdminCommands.Disable.class,
                    PartnerAdminCommands.Enable.class, PartnerAdminCommands.SetPermissions.class})
    static final class PartnerCommands {}

    @Command(name = "create", description = "Register a partner; prints its client_id and client_secret (shown once).")
    static final class PartnerCreate implements Callable<Integer> {
        @Option(names = "--name", required = true) String name;
        @Option(names = "--redirect-uri", required = true, description = "Exact redirect URI; repeat for several.")
        List<String> redirectUris;
        @Option(names = "--grants", required = true, split = ",", description = "Comma-separated grants, e.g. read.firstname,read.phone")
        List<String> grants;
        @Option(names = "--revoke-uri", description = "Default URL for revoke callbacks.") String revokeUri;
        @Option(names = "--public", description = "A public client (no secret; PKCE S256 required), e.g. a mobile app.")
        boolean publicClient;
        @Option(names = "--post-logout-redirect-uri", description = "Where OIDC logout may return; repeat for several.")
        List<String> postLogoutRedirectUris = List.of();
        @Option(names = "--backchannel-logout-uri", description = "OIDC back-channel logout endpoint.") String backchannel;
        @Option(names = "--permission", description = "Service-token permission, e.g. users:write; repeat for several.")
        List<String> permissions = List.of();
        @Option(names = "--id-token-alg", description = "RS256 (default) or ES256.") String idTokenAlg = "RS256";
        @Option(names = "--require-par", description = "/openid requires a pushed authorization request (RFC 9126).")
        boolean requirePar;
        @Option(names = "--jwks", paramLabel = "FILE", description = "The client's PUBLIC JWK set for private_key_jwt.")
        java.nio.file.Path jwks;
        @Option(names = "--jwks-uri", paramLabel = "URL", description = "Where the client publishes its JWK set (https).")
        String jwksUri;
        @Option(names = "--device-grant", description = "The partner may use the device authorization grant (RFC 8628).")
        boolean deviceGrant;
        @Option(names = "--token-endpoint-auth-method", paramLabel = "METHOD", description = "client_secret_jwt to also "
                + "accept HMAC assertions (the secret is then also kept sealed under the master key).")
        String authMethod;
        @Option(names = "--profile-jwk", paramLabel = "FILE",
                description = "The partner's PUBLIC JWK for profile encryption: RSA (RSA-OAEP-256) or EC P-256 (ECDH-ES+A256KW).")
        java.nio.file.Path profileJwk;
        @Option(names = "--json", description = "Print one JSON object on one line.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String jwk = profileJwk == null ? null : PartnerService.publicProfileJwk(readFile(profileJwk));
            Set<Grant> parsed = PartnerAdminCommands.grants(grants);
            try (App app = domain()) {
                var settings = new ClientSettings(publicClient, postLogoutRedirectUris, backchannel, Set.copyOf(permissions),
                        idTokenAlg, jwk, requirePar, jwks == null ? null : PartnerService.publicJwks(readFile(jwks)), deviceGrant)
                        .withJwksUri(jwksUri);
                var registered = app.partnerAdmin.create(new PartnerService.NewPartner(name, redirectUris, parsed, revokeUri,
                        settings), authMethod != null && PartnerAdminCommands.clientSecretJwt(authMethod), PartnerAdmin.CLI);
                String clientId = registered.partner().clientId().toString();
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("client_id", clientId);
                    out.put("client_secret", registered.clientSecret());
                    spec.commandLine().getOut().println(Json.write(out));
                } else if (publicClient) {
                    spec.commandLine().getOut().printf("client_id: %s%nA public client has no secret: it must use PKCE (S256).%n", clientId);
                } else {
                    spec.commandLine().getOut().printf("client_id:     %s%nclient_secret: %s%nKeep the secret safe: it is shown only once.%n",
                            clientId, registered.clientSecret());
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List partners.")
    static final class PartnerList implements Callable<Integer> {
        @Option(names = "--json", description = "Print a JSON array.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (App app = domain()) {
                List<Partner> partners = app.partners.list();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.write(partners.stream().map(p -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("client_id", p.clientId().toString());
                        row.put("name", p.name());
                        row.put("redirect_uris", p.redirectUris());
                        row.put("grants", p.grants().stream().map(Grant::wireName).toList());
                        row.put("revoke_uri", p.revokeUri());
                        row.put("status", p.active() ? "active" : "disabled");
                        row.put("public_client", p.settings().publicClient());
                        row.put("post_logout_redirect_uris", p.settings().postLogoutRedirectUris());
                        row.put("backchannel_logout_uri", p.settings().backchannelLogoutUri());
                        row.put("permissions", p.settings().permissions());
                        row.put("id_token_alg", p.settings().idTokenAlg());
                        row.put("profile_jwk", p.settings().profileJwk() == null ? null
                                : Json.parse(p.settings().profileJwk().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                        return row;
                    }).toList()));
                } else {
                    for (Partner p : partners) {
                        out.printf("%s  %-30s  %s  %s%n", p.clientId(), p.name(), String.join(" ", p.redirectUris()),
                                Grant.join(p.grants()));
                    }
                    if (partners.isEmpty()) out.println("No partners yet: ./freedom-id partner create --help");
                }
            }
            return 0;
        }
    }

    @Command(name = "rotate-secret", description = "Issue a new client_secret; the old one stops working at once.")
    static final class PartnerRotateSecret implements Callable<Integer> {
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--json", description = "Print one JSON object on one line.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            UUID id = PartnerService.parseUuid(clientId)
                    .orElseThrow(() -> new IllegalArgumentException("CLIENT_ID must be a UUID"));
            try (App app = domain()) {
                var secret = app.partnerAdmin.rotateSecret(id, PartnerAdmin.CLI);
                if (secret.isEmpty()) {
                    spec.commandLine().getErr().println("No partner with client_id " + clientId);
                    return 1;
                }
                if (json) {
                    spec.commandLine().getOut().println(Json.write(Map.of("client_id", clientId, "client_secret", secret.get())));
                } else {
                    spec.commandLine().getOut().printf("client_id:     %s%nclient_secret: %s%n", clientId, secret.get());
                }
            }
            return 0;
        }
    }

    @Command(name = "set-profile-jwk", description = "Set the partner's public JWK that profiles are encrypted to.")
    static final class PartnerSetProfileJwk implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId;
        @Parameters(index = "1", paramLabel = "FILE",
                description = "A PUBLIC JWK: RSA (RSA-OAEP-256) or EC P-256 (ECDH-ES+A256KW). A private key is refused.")
        java.nio.file.Path file;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            UUID id = PartnerService.parseUuid(clientId)
                    .orElseThrow(() -> new IllegalArgumentException("CLIENT_ID must be a UUID"));
            String jwk = PartnerService.publicProfileJwk(readFile(file));
            try (App app = domain()) {
                if (app.partnerAdmin.update(id, PartnerChanges.none().withProfileJwk(jwk), PartnerAdmin.CLI).isEmpty()) {
                    spec.commandLine().getErr().println("No partner with client_id " + clientId);
                    return 1;
                }
                spec.commandLine().getOut().printf("Profile encryption key set for %s%n", clientId);
            }
            return 0;
        }
    }

    static String readFile(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    @Command(name = "keys", description = "Signing keys.", subcommands = {KeysRotate.class, KeysList.class})
    static final class KeyCommands {}

    @Command(name = "rotate", description = "Publish new signing keys (RS256 and ES256) that start signing after --lead.")
    static final class KeysRotate implements Callable<Integer> {
        @Option(names = "--lead", description = "How long the new keys are published before they sign (ISO-8601 "
                + "duration, default PT10M; PT0S signs at once, for a compromised key).", defaultValue = "PT10M")
        java.time.Duration lead;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (App app = domain()) {
                List<String> kids = app.keyAdmin.rotate(lead, PartnerAdmin.CLI).stream().map(k -> k.kid()).toList();
                spec.commandLine().getOut().printf("New signing keys %s are published and sign from %s.%n", kids,
                        java.time.Instant.now().plus(lead));
            }
            return 0;
        }
    }

    @Command(name = "user", description = "Manage users.", subcommands = {UserCreate.class, UserAdminCommands.Show.class,
            UserAdminCommands.Search.class, UserAdminCommands.Update.class, UserAdminCommands.Block.class,
            UserAdminCommands.Unblock.class, UserAdminCommands.Delete.class, UserAdminCommands.Cards.class})
    static final class UserCommands {}

    @Command(name = "create", description = "Create a user; prints the new freedom_id.")
    static final class UserCreate implements Callable<Integer> {
        @Option(names = "--phone", required = true, description = "+ and 10 to 15 digits") String phone;
        @Option(names = "--firstname") String firstname;
        @Option(names = "--lastname") String lastname;
        @Option(names = "--email") String email;
        @Option(names = "--password", description = "Lets the user sign in with phone + password.") String password;
        @Option(names = "--json", description = "Print one JSON object on one line.") boolean json;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (App app = domain()) {
                User user = app.users.create(new NewUser(phone, email, firstname, lastname, password, false, null));
                app.audit.record(kz.freedomid.audit.Actor.ADMIN, "admin.user.created", user.id(), PartnerAdmin.CLI, Map.of());
                if (json) {
                    spec.commandLine().getOut().println(Json.write(Map.of("freedom_id", user.id().toString())));
                } else {
                    spec.commandLine().getOut().printf("freedom_id: %s%n", user.id());
                }
            }
            return 0;
        }
    }
}
