package kz.freedomid.login;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS one-time codes (contract 5): 6 digits, 5 minutes, 5 attempts, a new code after 60 s, at most 5 per phone an hour.
 */
public final class OtpService {
    private static final Logger LOG = LoggerFactory.getLogger(OtpService.class);
    public static final int MAX_ATTEMPTS = 5;
    public static final int MAX_PER_HOUR = 5;
    public static final Duration RESEND_AFTER = Duration.ofSeconds(60);

    public sealed interface SendResult {
        record Sent() implements SendResult {}

        record TooSoon(long secondsLeft) implements SendResult {}

        /** @param secondsLeft until the oldest code of the last hour leaves the window */
        record HourlyLimit(long secondsLeft) implements SendResult {}

        /** The SMS gateway refused or did not answer; nothing was stored, the user may try again at once. */
        record Failed() implements SendResult {}
    }

    public enum VerifyResult { VERIFIED, WRONG_CODE, NO_ATTEMPTS_LEFT, EXPIRED }

    private final OtpStore store;
    private final SmsSender sms;
    private final Secrets secrets;
    private final Ids ids;
    private final Clock clock;
    private final Duration lifetime;
    private final Counter sent;
    private final Counter notSent;

    public OtpService(OtpStore store, SmsSender sms, Secrets secrets, Ids ids, Clock clock, Duration lifetime,
            MeterRegistry meters) {
        this.sent = otps(meters, "sent");
        this.notSent = otps(meters, "failed");
        this.store = store;
        this.sms = sms;
        this.secrets = secrets;
        this.ids = ids;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public SendResult send(UUID sessionId, String phone, String text) {
        Instant now = clock.instant();
        OtpStore.SentSummary recent = store.sentSince(phone, now.minus(Duration.ofHours(1)));
        if (recent.latest() != null) {
            // In whole milliseconds: the database rounds times to microseconds, so the stored time of the last code
            // may lie a fraction after the real one ("wait 0 seconds" exactly at 60 s).
            long millisLeft = Duration.between(now, recent.latest().plus(RESEND_AFTER)).toMillis();
            if (millisLeft > 0) return new SendResult.TooSoon((millisLeft + 999) / 1000); // seconds, rounded up
        }
        if (recent.count() >= MAX_PER_HOUR) {
            long millis = Duration.between(now, recent.earliest().plus(Duration.ofHours(1))).toMillis();
            return new SendResult.HourlyLimit(Math.max(1, (millis + 999) / 1000));
        }
        String code = secrets.digits(6);
        UUID id = ids.random();
        store.insert(new OtpStore.Challenge(id, sessionId, phone, hash(id, code), 0, now, now.plus(lifetime)));
        try {
            sms.send(new SmsSender.Message(phone, text.replace("{code}", code), code));
        } catch (HttpSmsSender.SmsFailedException e) {
            LOG.warn("SMS to {} not sent: {}", phone, e.getMessage());
            store.delete(id);
            notSent.increment();
            return new SendResult.Failed();
        }
        sent.increment();
        return new SendResult.Sent();
    }

    /** {@code freedom_id_otps_total{result}}: codes handed to the SMS gateway, or refused by it. */
    private static Counter otps(MeterRegistry meters, String result) {
        return Counter.builder("freedom_id_otps").description("One-time codes sent by SMS, by result").tag("result", result)
                .register(meters);
    }

    public VerifyResult verify(UUID sessionId, String phone, String code) {
        Instant now = clock.instant();
        var challenge = store.latestOpen(sessionId, phone);
        if (challenge.isEmpty() || !challenge.get().expiresAt().isAfter(now)) return VerifyResult.EXPIRED;
        OtpStore.Challenge c = challenge.get();
        if (!store.recordAttempt(c.id(), MAX_ATTEMPTS)) return VerifyResult.NO_ATTEMPTS_LEFT;
        String presented = code == null ? "" : code.strip();
        if (!Secrets.constantTimeEquals(c.codeHash(), hash(c.id(), presented))) {
            return c.attempts() + 1 >= MAX_ATTEMPTS ? VerifyResult.NO_ATTEMPTS_LEFT : VerifyResult.WRONG_CODE;
        }
        return store.markVerified(c.id(), now) ? VerifyResult.VERIFIED : VerifyResult.EXPIRED;
    }

    private static String hash(UUID challengeId, String code) {
        return Secrets.sha256(challengeId + ":" + code);
    }
}
