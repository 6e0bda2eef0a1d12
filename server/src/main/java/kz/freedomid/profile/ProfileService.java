package kz.freedomid.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import kz.freedomid.login.ConsentStore;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;
import kz.freedomid.token.AccessGrant;
import kz.freedomid.user.User;
import kz.freedomid.user.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous profile requests (contract 3.6, 3.7): accepts a request, assembles and encrypts the profile on the job
 * queue, and answers status. Retention: pending at most 24 h (then failed); completed and failed kept 60 min after they
 * finish (then purged). The rules apply on every read and in the recurring cleanup, so neither depends on the other.
 */
public final class ProfileService {
    public static final Duration PENDING_LIMIT = Duration.ofHours(24);
    public static final Duration RETENTION = Duration.ofMinutes(60);
    private static final Logger LOG = LoggerFactory.getLogger(ProfileService.class);

    /** The answer to 3.6: accepted / rejected, or the current status of a request posted before. */
    public record Answer(UUID requestId, String status, String statusMessage, UUID freedomId) {}

    /** The answer to 3.7; {@code payload} only when completed. */
    public record StatusView(UUID requestId, String status, String statusMessage, UUID freedomId, String payload,
                             Instant datetime) {}

    private final ProfileStore store;
    private final PartnerService partners;
    private final ConsentStore consents;
    private final UserService users;
    private final Clock clock;
    private final List<ProfileSource> sources = new CopyOnWriteArrayList<>();
    private final ExecutorService sourceThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("profile-source-", 0).factory());
    private volatile Consumer<UUID> queue = id -> {
        throw new IllegalStateException("profile job queue not attached");
    };

    public ProfileService(ProfileStore store, PartnerService partners, ConsentStore consents, UserService users,
                          Clock clock) {
        this.store = store;
        this.partners = partners;
        this.consents = consents;
        this.users = users;
        this.clock = clock;
        sources.add(new BuiltInProfileSource(store, users::extras));
    }

    /** How accepted requests reach the job queue (the queue is built after the service). */
    public void queueWith(Consumer<UUID> queue) {
        this.queue = queue;
    }

    /** Adds a source after the built-in one; its attributes are merged over earlier ones. */
    public void addSource(ProfileSource source) {
        sources.add(source);
    }

    public void removeSource(ProfileSource source) {
        if (!(source instanceof BuiltInProfileSource)) sources.remove(source);
    }

    /** 3.6. */
    public Answer request(AccessGrant grant, UUID requestId, Instant partnerCreatedAt) {
        UUID userId = grant.user().id();
        Optional<String> rejection = rejection(grant);
        if (rejection.isPresent()) return new Answer(requestId, "rejected", rejection.get(), userId);
        ProfileRequest fresh = ProfileRequest.pending(requestId, grant.clientId(), userId, partnerCreatedAt, clock.instant());
        if (store.insert(fresh, () -> queue.accept(requestId))) {
            return new Answer(requestId, "accepted", "The request is accepted; the profile is being assembled.", userId);
        }
        ProfileRequest existing = current(requestId).orElse(null);
        if (existing == null) { // purged between our insert and our read: take the id afresh
            if (!store.insert(fresh, () -> queue.accept(requestId))) throw conflict(requestId);
            return new Answer(requestId, "accepted", "The request is accepted; the profile is being assembled.", userId);
        }
        if (!existing.clientId().equals(grant.clientId()) || !existing.userId().equals(userId)) throw conflict(requestId);
        return new Answer(requestId, existing.status().wireName(), existing.statusMessage(), userId);
    }

    /** 3.7: a request of another partner or another user is not_found, as is one purged. */
    public StatusView status(AccessGrant grant, UUID requestId) {
        UUID userId = grant.user().id();
        Optional<ProfileRequest> found = current(requestId)
                .filter(r -> r.clientId().equals(grant.clientId()) && r.userId().equals(userId));
        if (found.isEmpty()) {
            return new StatusView(requestId, "not_found", "No such request for this partner and user (or it expired).",
                    userId, null, clock.instant());
        }
        ProfileRequest r = found.get();
        return new StatusView(requestId, r.status().wireName(), r.statusMessage(), userId,
                r.status() == ProfileRequest.Status.COMPLETED ? r.payload() : null,
                r.finishedAt() != null ? r.finishedAt() : r.createdAt());
    }

    /** The job: assembles, encrypts and stores the profile, or records why it failed. */
    public void assemble(UUID requestId) {
        ProfileRequest request = current(requestId).orElse(null);
        if (request == null || request.status() != ProfileRequest.Status.PENDING) return;
        String failure;
        try {
            failure = tryAssemble(request);
        } catch (RuntimeException e) {
            LOG.warn("profile request {} failed", requestId, e);
            failure = "The profile could not be assembled (internal error).";
        }
        if (failure != null && store.fail(requestId, failure, clock.instant())) {
            LOG.info("profile request {} failed: {}", requestId, failure);
        }
    }

    /** The recurring cleanup: times out old pending requests, purges finished ones past retention. */
    public int cleanup() {
        Instant now = clock.instant();
        for (ProfileRequest r : store.pendingSince(now.minus(PENDING_LIMIT))) expire(r);
        return store.purgeFinishedBefore(now.minus(RETENTION));
    }

    public void close() {
        sourceThreads.shutdownNow();
    }

    private String tryAssemble(ProfileRequest request) {
        Optional<User> user = users.find(request.userId());
        if (user.isEmpty()) return "The user no longer exists.";
        String jwk = partners.find(request.clientId()).map(Partner::settings).map(s -> s.profileJwk()).orElse(null);
        if (jwk == null) return "The partner has no profile encryption key.";
        Map<String, Object> profile = new LinkedHashMap<>();
        for (ProfileSource source : sources) {
            Future<Map<String, Object>> answer = sourceThreads.submit(() -> source.attributes(user.get()));
            try {
                Map<String, Object> attributes = answer.get(source.timeout().toMillis(), TimeUnit.MILLISECONDS);
                if (attributes != null) profile.putAll(attributes);
            } catch (TimeoutException e) {
                answer.cancel(true);
                return "Profile source '" + source.name() + "' did not answer within " + seconds(source.timeout()) + ".";
            } catch (ExecutionException e) {
                LOG.warn("profile source {} failed for request {}", source.name(), request.requestId(), e.getCause());
                return "Profile source '" + source.name() + "' failed.";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer.cancel(true);
                return "The profile assembly was interrupted.";
            }
        }
        // Checked last, after the sources had their time: consent withdrawn meanwhile means nothing is released.
        if (!consents.granted(request.userId(), request.clientId()).contains(Grant.READ_PROFILE)) {
            return "The user withdrew consent to share the profile with this partner.";
        }
        profile.put("generated_at", Json.timestamp(clock.instant()));
        String payload = ProfileEncryptor.encrypt(jwk, Json.write(profile));
        store.complete(request.requestId(), payload, clock.instant());
        return null;
    }

    /** The request with the retention rules applied: timed-out pending → failed, expired finished → gone. */
    private Optional<ProfileRequest> current(UUID requestId) {
        Optional<ProfileRequest> found = store.find(requestId);
        if (found.isEmpty()) return found;
        ProfileRequest r = found.get();
        Instant now = clock.instant();
        if (r.status() == ProfileRequest.Status.PENDING && !r.createdAt().plus(PENDING_LIMIT).isAfter(now)) {
            expire(r);
            r = store.find(requestId).orElse(null);
            if (r == null) return Optional.empty();
        }
        if (r.finishedAt() != null && !r.finishedAt().plus(RETENTION).isAfter(now)) {
            store.purgeFinishedBefore(now.minus(RETENTION));
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /** A pending request past 24 h fails as of its deadline, so its 60 minutes of retention count from then. */
    private void expire(ProfileRequest r) {
        store.fail(r.requestId(), "The profile was not assembled within 24 hours.", r.createdAt().plus(PENDING_LIMIT));
    }

    private Optional<String> rejection(AccessGrant grant) {
        if (!grant.grants().contains(Grant.READ_PROFILE)) {
            return Optional.of("The access token does not include the read.profile grant.");
        }
        if (!consents.granted(grant.user().id(), grant.clientId()).contains(Grant.READ_PROFILE)) {
            return Optional.of("The user has withdrawn consent to share the profile with this partner.");
        }
        boolean hasKey = partners.find(grant.clientId()).map(p -> p.settings().profileJwk() != null).orElse(false);
        if (!hasKey) return Optional.of("The partner has no profile encryption key registered.");
        return Optional.empty();
    }

    private static FreedomException conflict(UUID requestId) {
        return new FreedomException(FreedomError.REQUEST_ID_CONFLICT,
                "request_id " + requestId + " belongs to another partner or user");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
