package kz.freedomid;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.util.JavalinLogger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import kz.freedomid.callback.CallbackJobs;
import kz.freedomid.callback.SessionEnd;
import kz.freedomid.demo.DemoRoutes;
import kz.freedomid.jobs.JobQueue;
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
import kz.freedomid.login.SmsSender;
import kz.freedomid.oauth.PartnerApiRoutes;
import kz.freedomid.oidc.OidcRoutes;
import kz.freedomid.oauth.TokenResponses;
import kz.freedomid.partner.JdbiPartnerStore;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.Database;
import kz.freedomid.platform.ErrorHandling;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.RequestIds;
import kz.freedomid.platform.Secrets;
import kz.freedomid.platform.web.Messages;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.SecurityHeaders;
import kz.freedomid.profile.JdbiProfileStore;
import kz.freedomid.profile.ProfileJobs;
import kz.freedomid.profile.ProfileRoutes;
import kz.freedomid.profile.ProfileService;
import kz.freedomid.token.JdbiTokenStore;
import kz.freedomid.token.TokenService;
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
    public final Secrets secrets;
    public final Ids ids;
    public final PartnerService partners;
    public final UserService users;
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
    private final List<Task<?>> tasks = new ArrayList<>();
    private final List<RecurringTask<?>> recurringTasks = new ArrayList<>();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
        this.database = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), 16);
        database.migrate();
        var jdbi = database.jdbi();
        this.partners = new PartnerService(new JdbiPartnerStore(jdbi), secrets, ids, clock);
        this.users = new UserService(new JdbiUserStore(jdbi), PasswordHasher.owasp(random), ids, clock);
        this.tokens = new TokenService(new JdbiTokenStore(jdbi), secrets, ids, clock, config.lifetimes());
        this.loginFlow = new LoginFlow(new JdbiTrackStore(jdbi), new JdbiConsentStore(jdbi), partners, tokens, ids, clock,
                config.lifetimes().loginLink(), config.issuer());
        this.sessions = new SessionService(new JdbiSessionStore(jdbi), secrets, ids, clock, config.lifetimes().session());
        this.keys = new SigningKeys(jdbi, MasterKey.load(config.masterKey(), config.dataDir(), random), clock);
        this.sms = "log".equals(config.smsSender()) ? new DevOutbox(clock) : new HttpSmsSender(config.smsUrl(), Json.MAPPER);
        this.profiles = new ProfileService(new JdbiProfileStore(jdbi), partners, new JdbiConsentStore(jdbi), users, clock);
        ProfileJobs profileJobs = new ProfileJobs(profiles);
        tasks.add(profileJobs.assemble);
        recurringTasks.add(profileJobs.cleanup);
        // Feature tasks are registered here, above this line, before the queue is built.
        this.callbacks = new CallbackJobs(new CallbackSigning(keys, config.issuer(), clock), partners::find, clock);
        tasks.addAll(callbacks.tasks());
        this.jobs = new JobQueue(database.dataSource(), jdbi, clock, tasks, recurringTasks, config.jobPolling());
        profiles.queueWith(id -> profileJobs.enqueue(jobs, clock, id));
        this.sessionEnd = new SessionEnd(tokens, sessions, partners, jobs, callbacks);
        Gauge.builder("freedom_id_jobs_due", jobs, q -> q.stats().due()).description("Jobs due to run now").register(metrics);
        Gauge.builder("freedom_id_jobs_queued", jobs, q -> q.stats().scheduled()).description("Jobs in the queue").register(metrics);
        Gauge.builder("freedom_id_jobs_failing", jobs, q -> q.stats().failing())
                .description("Jobs whose last attempt failed and that wait for a retry").register(metrics);
    }

    /** Starts HTTP on the configured port (0 picks a free one). */
    public App start() {
        Messages messages = new Messages();
        Pages pages = new Pages(messages, config.dev(), config.https());
        var jdbi = database.jdbi();
        OtpService otp = new OtpService(new JdbiOtpStore(jdbi), sms, secrets, ids, clock, config.lifetimes().otp());
        LoginRoutes login = new LoginRoutes(loginFlow, sessions, otp, users, new PasswordLockout(jdbi, clock), pages,
                config.https());
        SigningKeys.ALGORITHMS.forEach(keys::current); // made or loaded now, not on the first token request
        IdTokens idTokens = new IdTokens(keys, config.issuer(), clock, config.lifetimes().idToken());
        OidcRoutes oidc = new OidcRoutes(config.issuer(), partners, loginFlow, sessions, tokens, keys, idTokens, pages, sessionEnd);
        PartnerApiRoutes partnerApi = new PartnerApiRoutes(partners, loginFlow, tokens, new TokenResponses(idTokens),
                config.issuer());
        if (config.dev()) {
            demoPartner = DemoSeed.seed(partners, users, config.dataDir(), config.issuer());
        }
        JavalinLogger.startupInfo = false;
        server = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.startup.startupWatcherEnabled = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = ApiRequest.MAX_BODY_BYTES;
            c.http.prefer405over404 = true;
            c.jetty.modifyServer(s -> s.setStopTimeout(10_000));
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/assets";
                sf.directory = "/public/assets";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "public, max-age=3600", "X-Content-Type-Options", "nosniff");
            });
            var routes = c.routes;
            routes.before(ctx -> {
                RequestIds.assign(ctx);
                SecurityHeaders.all(ctx);
            });
            ErrorHandling.register(routes, (ctx, status, key) -> pages.message(ctx, status, "error.title", key));
            routes.get("/", ctx -> ctx.redirect(config.dev() ? "/demo" : "/health/ready"));
            routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            routes.get("/health/live", ctx -> ctx.json("{\"status\":\"UP\"}"));
            routes.get("/health/ready", ctx -> {
                boolean up = database.answers();
                ctx.status(up ? 200 : 503).json(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"database\":\"DOWN\"}");
            });
            partnerApi.register(routes);
            new ProfileRoutes(profiles, tokens).register(routes);
            oidc.register(routes);
            login.register(routes);
            if (config.dev()) {
                if (sms instanceof DevOutbox outbox) new DevRoutes(outbox).register(routes);
                new DemoRoutes(demoPartner, pages, this::port).register(routes);
            }
        }).start(config.port());
        scheduleUpkeep();
        jobs.start();
        return this;
    }

    public SigningKeys signingKeys() {
        return keys;
    }

    /** Key rotation on a schedule: every node checks; creating a spare key twice in a race is harmless. */
    private void scheduleUpkeep() {
        upkeep.scheduleWithFixedDelay(() -> {
            try {
                keys.maintain(config.keyRotation(), java.time.Duration.ofDays(1),
                        config.lifetimes().idToken().plus(java.time.Duration.ofHours(1)));
            } catch (RuntimeException e) {
                LOG.warn("signing key upkeep failed: {}", e.toString());
            }
        }, 1, 60, java.util.concurrent.TimeUnit.MINUTES);
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
        database.close();
        LOG.info("stopped");
    }
}
