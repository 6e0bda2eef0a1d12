package kz.freedomid;

import io.javalin.Javalin;
import io.javalin.util.JavalinLogger;
import java.security.SecureRandom;
import java.time.Clock;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import kz.freedomid.admin.AdminApi;
import kz.freedomid.apidocs.ApiDocsRoutes;
import kz.freedomid.admin.KeyAdmin;
import kz.freedomid.admin.UserAdmin;
import kz.freedomid.admin.PartnerAdmin;
import kz.freedomid.audit.AuditJobs;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.audit.JdbiAuditStore;
import kz.freedomid.callback.CallbackJobs;
import kz.freedomid.callback.SessionEnd;
import kz.freedomid.device.DeviceFlow;
import kz.freedomid.oidc.ClientSecretJwt;
import kz.freedomid.oidc.JdbiClientSecretJwtStore;
import kz.freedomid.device.DeviceRoutes;
import kz.freedomid.device.JdbiDeviceAuthorizationStore;
import kz.freedomid.demo.DemoRoutes;
import kz.freedomid.dpop.DPoP;
import kz.freedomid.dpop.JdbiDPoPJtiStore;
import kz.freedomid.jobs.JobQueue;
import kz.freedomid.jobs.JobQueueMeters;
import kz.freedomid.account.AccountRoutes;
import kz.freedomid.account.AccountService;
import kz.freedomid.account.JdbiAccountStore;
import kz.freedomid.platform.Transactions;
import kz.freedomid.callback.SessionExpiry;
import kz.freedomid.demo.DemoSeed;
import kz.freedomid.keys.CallbackSigning;
import kz.freedomid.keys.IdTokens;
import kz.freedomid.keys.MasterKey;
import kz.freedomid.keys.SigningKeys;
import kz.freedomid.login.DevOutbox;
import kz.freedomid.login.HttpSmsSender;
import kz.freedomid.login.JdbiConsentStore;
import kz.freedomid.login.JdbiOtpStore;
import kz.freedomid.login.JdbiSessionStore;
import kz.freedomid.login.JdbiTrackStore;
import kz.freedomid.login.LoginFlow;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.login.OtpService;
import kz.freedomid.login.PasswordLockout;
import kz.freedomid.login.SessionService;
import kz.freedomid.login.SignInAudit;
import kz.freedomid.login.SmsSender;
import kz.freedomid.oauth.PartnerApiRoutes;
import kz.freedomid.oauth.PartnerUserRoutes;
import kz.freedomid.oidc.ClientAssertions;
import kz.freedomid.oidc.JdbiAssertionJtiStore;
import kz.freedomid.oidc.JdbiPushedRequestStore;
import kz.freedomid.oidc.OidcRoutes;
import kz.freedomid.oidc.PushedRequests;
import kz.freedomid.oauth.TokenResponses;
import kz.freedomid.partner.CachingPartnerStore;
import kz.freedomid.partner.JdbiPartnerStore;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.ClusterEvents;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.Database;
import kz.freedomid.platform.ErrorHandling;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.RequestIds;
import kz.freedomid.platform.Secrets;
import kz.freedomid.platform.metrics.HttpMetrics;
import kz.freedomid.platform.metrics.Metrics;
import kz.freedomid.platform.ratelimit.RateLimitRoutes;
import kz.freedomid.platform.ratelimit.RateLimiter;
import kz.freedomid.platform.web.Assets;
import kz.freedomid.platform.web.Messages;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.SecurityHeaders;
import kz.freedomid.profile.JdbiProfileStore;
import kz.freedomid.profile.ProfileJobs;
import kz.freedomid.profile.ProfileRoutes;
import kz.freedomid.profile.ProfileService;
import kz.freedomid.token.JdbiTokenStore;
import kz.freedomid.token.TokenService;
import kz.freedomid.user.CardService;
import kz.freedomid.user.JdbiCardStore;
import kz.freedomid.user.JdbiUserStore;
import kz.freedomid.user.PasswordHasher;
import kz.freedomid.user.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the object graph by hand, top to bottom, and serves it. Tests build it the same way with their own clock. */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    public final Config config;
    public final Clock clock;
    public final Database database;
    /** Cache invalidation across nodes (PostgreSQL LISTEN/NOTIFY); this node listens once it serves. */
    public final ClusterEvents clusterEvents;
    public final Secrets secrets;
    public final PushedRequests pushedRequests;
    public final ClientAssertions clientAssertions;
    /** DPoP proofs (RFC 9449): nonces, and the jti of every accepted proof, shared by all nodes. */
    public final DPoP dpop;
    /** Partners that opted in to client_secret_jwt, with their sealed secrets. */
    public final ClientSecretJwt clientSecretJwt;
    /** The device authorization grant (RFC 8628). */
    public final DeviceFlow devices;
    public final Ids ids;
    public final PartnerService partners;
    public final UserService users;
    /** Users' cards (masked numbers only), released by read.cards. */
    public final CardService cards;
    public final TokenService tokens;
    public final LoginFlow loginFlow;
    public final SessionService sessions;
    public final SmsSender sms;
    /** Asynchronous profile requests (contract 3.6, 3.7); operators may add profile sources to it. */
    public final ProfileService profiles;
    /** Durable jobs; feature packages add their tasks to {@link #tasks} before the queue is built. */
    public final JobQueue jobs;
    /** Revoke callbacks and back-channel logout (contract 3.10, 4.5): every ended session goes through it. */
    public final CallbackJobs callbacks;
    public final SessionEnd sessionEnd;
    public final AccountService account;
    /** The audit trail of sign-ins, consents, tokens and admin actions. */
    public final AuditLog audit;
    /** Partner and signing-key administration (admin API and CLI), audited. */
    public final PartnerAdmin partnerAdmin;
    public final KeyAdmin keyAdmin;
    public final UserAdmin userAdmin;
    /** Dynamic client registration (RFC 7591, 7592) and the operator's initial access tokens for it. */
    public final kz.freedomid.registration.InitialAccessTokens registrationTokens;
    public final kz.freedomid.registration.RegistrationService registrations;
    private final List<Task<?>> tasks = new ArrayList<>();
    private final List<RecurringTask<?>> recurringTasks = new ArrayList<>();
    private final Metrics meters = new Metrics();
    private final PrometheusMeterRegistry metrics = meters.registry();
    private final SigningKeys keys;
    private final java.util.concurrent.ScheduledExecutorService upkeep =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("upkeep").factory());
    private Javalin server;
    private DemoSeed.DemoPartner demoPartner;

    /** The domain without HTTP: what the admin command line uses. */
    public App(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        SecureRandom random = new SecureRandom();
        this.secrets = new Secrets(random);
        this.ids = new Ids(clock, random);
        this.database = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), 16, metrics);
        database.migrate();
        var jdbi = database.jdbi();
        Transactions transactions = new Transactions(jdbi);
        this.audit = new AuditLog(new JdbiAuditStore(jdbi), ids, clock, config.auditRetention());
        this.clusterEvents = new ClusterEvents(database, config.cacheMaxAge());
        // Partner records are cached; other nodes hear of changes (CachingPartnerStore states the bounds). Tokens never are.
        this.partners = new PartnerService(new CachingPartnerStore(new JdbiPartnerStore(jdbi), clusterEvents), secrets, ids,
                clock);
        this.users = new UserService(new JdbiUserStore(jdbi), PasswordHasher.owasp(random), ids, clock);
        this.cards = new CardService(new JdbiCardStore(jdbi), ids, clock);
        this.tokens = new TokenService(new JdbiTokenStore(jdbi), secrets, ids, clock, config.lifetimes(), audit, metrics);
        this.loginFlow = new LoginFlow(new JdbiTrackStore(jdbi), new JdbiConsentStore(jdbi), partners, tokens, ids, clock,
                config.lifetimes().loginLink(), config.issuer(), audit);
        this.sessions = new SessionService(new JdbiSessionStore(jdbi), secrets, ids, clock, config.lifetimes().session(),
                config.lifetimes().sessionIdle());
        MasterKey masterKey = MasterKey.load(config.masterKey(), config.dataDir(), random);
        this.keys = new SigningKeys(jdbi, masterKey, clock, clusterEvents);
        this.clientSecretJwt = new ClientSecretJwt(new JdbiClientSecretJwtStore(jdbi), masterKey, clock);
        this.partnerAdmin = new PartnerAdmin(partners, audit, clientSecretJwt);
        this.keyAdmin = new KeyAdmin(keys, keyRetention(), audit);
        this.registrationTokens = new kz.freedomid.registration.InitialAccessTokens(
                new kz.freedomid.registration.JdbiInitialAccessTokenStore(jdbi), secrets, ids, clock, audit);
        this.registrations = new kz.freedomid.registration.RegistrationService(partners,
                new kz.freedomid.registration.JdbiRegistrationStore(jdbi), registrationTokens, transactions, secrets, clock, audit,
                clientSecretJwt);
        this.sms = "log".equals(config.smsSender()) ? new DevOutbox(clock) : new HttpSmsSender(config.smsUrl(), Json.MAPPER);
        this.profiles = new ProfileService(new JdbiProfileStore(jdbi), partners, new JdbiConsentStore(jdbi), users, clock);
        ProfileJobs profileJobs = new ProfileJobs(profiles);
        tasks.add(profileJobs.assemble);
        recurringTasks.add(profileJobs.cleanup);
        SessionExpiry sessionExpiry = new SessionExpiry(sessions);
        recurringTasks.add(sessionExpiry.task);
        recurringTasks.add(new AuditJobs(audit).retention);
        this.pushedRequests = new PushedRequests(new JdbiPushedRequestStore(jdbi), secrets, clock);
        recurringTasks.add(pushedRequests.cleanup);
        this.clientAssertions = new ClientAssertions(new JdbiAssertionJtiStore(jdbi), clock, config.issuer(),
                new kz.freedomid.oidc.RemoteJwks(clock, config.dev()), clientSecretJwt);
        recurringTasks.add(clientAssertions.cleanup);
        this.dpop = new DPoP(new JdbiDPoPJtiStore(jdbi), masterKey.derive("dpop-nonce"), config.dpopNonceRequired(), clock);
        recurringTasks.add(dpop.cleanup);
        this.devices = new DeviceFlow(new JdbiDeviceAuthorizationStore(jdbi), partners, new JdbiConsentStore(jdbi), tokens,
                transactions, audit, secrets, clock, sessions);
        recurringTasks.add(devices.cleanup);
        // Feature tasks are registered here, above this line, before the queue is built.
        this.callbacks = new CallbackJobs(new CallbackSigning(keys, config.issuer(), clock), partners::find, clock);
        tasks.addAll(callbacks.tasks());
        this.jobs = new JobQueue(database, clock, tasks, recurringTasks, config.jobPolling());
        profiles.queueWith(id -> profileJobs.enqueue(jobs, clock, id));
        this.sessionEnd = new SessionEnd(transactions, tokens, sessions, partners, jobs, callbacks);
        sessionExpiry.endWith(sessionEnd);
        this.userAdmin = new UserAdmin(users, cards, sessionEnd, audit);
        this.account = new AccountService(new JdbiAccountStore(jdbi), new JdbiConsentStore(jdbi), users, tokens, sessionEnd,
                transactions, clock);
        JobQueueMeters.register(jobs, metrics);
    }

    /** Starts HTTP on the configured port (0 picks a free one). */
    public App start() {
        Messages messages = new Messages();
        Pages pages = new Pages(messages, config.dev(), config.https());
        var jdbi = database.jdbi();
        OtpService otp = new OtpService(new JdbiOtpStore(jdbi), sms, secrets, ids, clock, config.lifetimes().otp(), metrics);
        LoginRoutes login = new LoginRoutes(loginFlow, sessions, otp, users, new PasswordLockout(jdbi, clock), pages,
                config.https(), new SignInAudit(audit, users, metrics));
        clusterEvents.start();
        io.micrometer.core.instrument.Gauge.builder("freedom_id_cache_invalidation_listening", clusterEvents,
                        e -> e.listening() ? 1 : 0)
                .description("1 while this node hears other nodes' changes to cached partners and keys at once").register(metrics);
        // The signing keys are made or loaded now, not on the first token request, while this thread builds the routes.
        var keysLoaded = java.util.concurrent.CompletableFuture.runAsync(() -> SigningKeys.ALGORITHMS.forEach(keys::current),
                runnable -> Thread.ofPlatform().name("keys").start(runnable));
        IdTokens idTokens = new IdTokens(keys, config.issuer(), clock, config.lifetimes().idToken());
        OidcRoutes oidc = new OidcRoutes(config.issuer(), partners, loginFlow, sessions, tokens, keys, idTokens, pages, sessionEnd,
                pushedRequests, clientAssertions, dpop, devices);
        PartnerApiRoutes partnerApi = new PartnerApiRoutes(partners, loginFlow, tokens, new TokenResponses(idTokens),
                config.issuer(), dpop);
        RateLimiter rateLimiter = RateLimiter.create(config.rateLimits(), database.isPostgres(), database.dataSource(), clock,
                metrics);
        if (config.dev()) {
            demoPartner = DemoSeed.seed(partners, users, config.dataDir(), config.issuer());
        }
        JavalinLogger.startupInfo = false;
        Javalin javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.startup.startupWatcherEnabled = false;
            c.concurrency.useVirtualThreads = true;
            String clientIpHeader = config.rateLimits().clientIpHeader();
            if (clientIpHeader != null) {
                // Behind a proxy: the caller's address for sessions and the audit trail, not the proxy's.
                c.contextResolver.ip = ctx -> kz.freedomid.platform.ClientAddress.resolve(ctx.header(clientIpHeader),
                        ctx.req().getRemoteAddr());
            }
            c.http.maxRequestSize = ApiRequest.MAX_BODY_BYTES;
            c.http.prefer405over404 = true;
            c.jetty.modifyServer(s -> s.setStopTimeout(10_000));
            HttpMetrics httpMetrics = new HttpMetrics(metrics);
            c.requestLogger.http(httpMetrics::record);
            var routes = c.routes;
            routes.get(Assets.ROUTE, new Assets()::serve);
            routes.before(ctx -> {
                RequestIds.assign(ctx);
                SecurityHeaders.all(ctx);
            });
            ErrorHandling.register(routes, (ctx, status, key) -> pages.message(ctx, status, "error.title", key));
            new RateLimitRoutes(rateLimiter, pages, config.rateLimits().clientIpHeader()).register(routes);
            routes.get("/", ctx -> ctx.redirect(config.dev() ? "/demo" : "/health/ready"));
            routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
            routes.get("/health/live", ctx -> ctx.json("{\"status\":\"UP\"}"));
            routes.get("/health/ready", ctx -> {
                boolean up = database.answers();
                ctx.status(up ? 200 : 503).json(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"database\":\"DOWN\"}");
            });
            partnerApi.register(routes);
            new ApiDocsRoutes(config.https()).register(routes);
            new PartnerUserRoutes(users, tokens).register(routes);
            new ProfileRoutes(profiles, tokens).register(routes);
            oidc.register(routes);
            new kz.freedomid.registration.RegistrationRoutes(registrations, config.registration(), config.issuer()).register(routes);
            login.register(routes);
            new AccountRoutes(account, sessions, loginFlow, pages).register(routes);
            new DeviceRoutes(devices, sessions, loginFlow, pages).register(routes);
            if (config.adminApiEnabled()) new AdminApi(config.adminToken(), partnerAdmin, userAdmin, keyAdmin, audit).register(routes);
            if (config.adminApiEnabled()) new kz.freedomid.admin.AdminRegistrationTokenRoutes(registrationTokens).register(routes);
            if (config.dev()) {
                if (sms instanceof DevOutbox outbox) new DevRoutes(outbox).register(routes);
                new DemoRoutes(demoPartner, pages, this::port, sessions, config.https()).register(routes);
            }
        });
        joinStartUpTask(keysLoaded); // before the port opens: two requests must not both make a first key
        server = javalin.start(config.port());
        scheduleUpkeep(rateLimiter);
        jobs.start();
        return this;
    }

    private static void joinStartUpTask(java.util.concurrent.CompletableFuture<Void> task) {
        try {
            task.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    public SigningKeys signingKeys() {
        return keys;
    }

    /**
     * Key rotation on a schedule: every node checks; creating a spare key twice in a race is harmless. Rate-limit
     * buckets that are full again are deleted the same way (several nodes skip each other's locked rows).
     */
    private void scheduleUpkeep(RateLimiter rateLimiter) {
        upkeep.scheduleWithFixedDelay(() -> {
            try {
                keys.maintain(config.keyRotation(), java.time.Duration.ofDays(1), keyRetention());
            } catch (RuntimeException e) {
                LOG.warn("signing key upkeep failed: {}", e.toString());
            }
        }, 1, 60, java.util.concurrent.TimeUnit.MINUTES);
        upkeep.scheduleWithFixedDelay(() -> {
            try {
                rateLimiter.removeExpired();
            } catch (RuntimeException e) {
                LOG.warn("rate-limit bucket cleanup failed: {}", e.toString());
            }
        }, 10, 10, java.util.concurrent.TimeUnit.MINUTES);
    }

    /** How long a superseded signing key stays published: until every id_token it signed has expired, and an hour. */
    private java.time.Duration keyRetention() {
        return config.lifetimes().idToken().plus(java.time.Duration.ofHours(1));
    }

    public int port() {
        return server.port();
    }

    public DemoSeed.DemoPartner demoPartner() {
        return demoPartner;
    }

    @Override
    public void close() {
        upkeep.shutdownNow();
        if (server != null) server.stop();
        jobs.close();
        profiles.close();
        clusterEvents.close();
        database.close();
        meters.close();
        LOG.info("stopped");
    }
}
