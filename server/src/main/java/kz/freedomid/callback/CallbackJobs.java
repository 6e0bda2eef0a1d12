package kz.freedomid.callback;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import kz.freedomid.keys.CallbackSigning;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.Lazy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two outgoing notifications of an ended session, as durable jobs: the revoke callback (contract 3.10) and the
 * OIDC back-channel logout token. At least once: anything but a 2xx (a timeout, a refused connection, a redirect,
 * which is never followed) is retried with exponential backoff until {@link #GIVE_UP_AFTER} after the first attempt.
 * The body is signed at each attempt, so a rotated key or an expired logout token never goes out.
 */
public final class CallbackJobs {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackJobs.class);
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    public static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    public static final Duration LONGEST_RETRY = Duration.ofHours(1);
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    public static final String SIGNATURE_HEADER = "Freedom-Signature";

    record RevokeJob(UUID pairId, String uri, long firstAttemptMs) {}

    record LogoutJob(UUID clientId, UUID sessionId, UUID userId, String uri, long firstAttemptMs) {}

    private final CallbackSigning signing;
    private final Function<UUID, java.util.Optional<Partner>> partners;
    private final Clock clock;
    private final Lazy<HttpClient> http;
    private volatile Duration attemptTimeout = ATTEMPT_TIMEOUT;
    final OneTimeTask<String> revokeTask;
    final OneTimeTask<String> logoutTask;

    public CallbackJobs(CallbackSigning signing, Function<UUID, java.util.Optional<Partner>> partners, Clock clock) {
        this.signing = signing;
        this.partners = partners;
        this.clock = clock;
        this.http = new Lazy<>(() -> HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(ATTEMPT_TIMEOUT)
                .build());
        this.revokeTask = Tasks.oneTime("revoke-callback", String.class).onFailure(new Backoff())
                .execute((instance, ctx) -> read(instance.getData(), RevokeJob.class, this::deliverRevoke));
        this.logoutTask = Tasks.oneTime("backchannel-logout", String.class).onFailure(new Backoff())
                .execute((instance, ctx) -> read(instance.getData(), LogoutJob.class, this::deliverLogout));
    }

    /** The tasks to register with the job queue before it is built. */
    public List<Task<?>> tasks() {
        return List.of(revokeTask, logoutTask);
    }

    /** Tests shorten the per-attempt timeout; production keeps {@link #ATTEMPT_TIMEOUT}. */
    void attemptTimeout(Duration timeout) {
        this.attemptTimeout = timeout;
    }

    String revokeData(UUID pairId, String uri) {
        return Json.write(new RevokeJob(pairId, uri, clock.millis()));
    }

    String logoutData(UUID clientId, UUID sessionId, UUID userId, String uri) {
        return Json.write(new LogoutJob(clientId, sessionId, userId, uri, clock.millis()));
    }

    private void deliverRevoke(RevokeJob job) {
        byte[] body = Json.write(Map.of("id", job.pairId().toString())).getBytes(StandardCharsets.UTF_8);
        attempt("revoke callback for pair " + job.pairId(), job.uri(), job.firstAttemptMs(), "application/json", body,
                signing.detachedSignature(body));
    }

    private void deliverLogout(LogoutJob job) {
        String alg = partners.apply(job.clientId()).map(p -> p.settings().idTokenAlg()).orElse("RS256");
        String token = signing.logoutToken(job.clientId(), job.sessionId(), job.userId(), alg);
        byte[] body = ("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        attempt("back-channel logout of session " + job.sessionId() + " for client " + job.clientId(), job.uri(),
                job.firstAttemptMs(), "application/x-www-form-urlencoded", body, null);
    }

    /** One POST; returns on a 2xx or once the retry window has passed, and throws to be retried otherwise. */
    private void attempt(String what, String uri, long firstAttemptMs, String contentType, byte[] body, String signature) {
        String failure;
        try {
            int status = post(uri, contentType, body, signature);
            if (status >= 200 && status < 300) return;
            failure = "HTTP " + status;
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
        if (!clock.instant().isBefore(Instant.ofEpochMilli(firstAttemptMs).plus(GIVE_UP_AFTER))) {
            LOG.warn("giving up on {} to {} after {}: last attempt failed with {}", what, uri, GIVE_UP_AFTER, failure);
            return;
        }
        throw new DeliveryFailed(what + " to " + uri + " failed: " + failure);
    }

    private int post(String uri, String contentType, byte[] body, String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
                .timeout(attemptTimeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) request.header(SIGNATURE_HEADER, signature);
        HttpResponse<InputStream> response = http.get().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream ignored = response.body()) {
            return response.statusCode(); // the body is never read: closing drops it, however long it is
        }
    }

    /** Job data that cannot be read would fail forever: it is logged and dropped instead of retried. */
    private static <T> void read(String data, Class<T> type, java.util.function.Consumer<T> deliver) {
        T job;
        try {
            job = Json.MAPPER.readValue(data, type);
        } catch (JsonProcessingException e) {
            LOG.warn("dropping a {} job with unreadable data: {}", type.getSimpleName(), e.getOriginalMessage());
            return;
        }
        deliver.accept(job);
    }

    /** A failed attempt; thrown so the queue records the failure and reschedules. */
    static final class DeliveryFailed extends RuntimeException {
        DeliveryFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Exponential backoff from {@link #FIRST_RETRY}, doubling per consecutive failure, at most {@link #LONGEST_RETRY}. */
    private static final class Backoff implements FailureHandler<String> {
        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<String> operations) {
            int failures = Math.min(complete.getExecution().consecutiveFailures, 20);
            Duration delay = FIRST_RETRY.multipliedBy(1L << failures);
            if (delay.compareTo(LONGEST_RETRY) > 0) delay = LONGEST_RETRY;
            LOG.info("{}; retrying in {}", complete.getCause().map(Throwable::getMessage).orElse("failed"), delay);
            operations.reschedule(complete, complete.getTimeDone().plus(delay).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        }
    }
}
