package kz.freedomid.login;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.partner.Partner;
import kz.freedomid.user.User;
import kz.freedomid.user.UserService;

/**
 * Sign-in outcomes of the hosted pages in the audit trail. A failure names the account when the phone belongs to one;
 * the phone itself is kept only masked, and never the code or password that was tried.
 */
public final class SignInAudit {
    private final AuditLog audit;
    private final UserService users;
    /** {@code freedom_id_signins_total{outcome,method}}, method as the session's amr: sms or pwd. */
    private final Counter succeededBySms;
    private final Counter succeededByPassword;
    private final Counter failedBySms;
    private final Counter failedByPassword;

    public SignInAudit(AuditLog audit, UserService users, MeterRegistry meters) {
        this.succeededBySms = signIns(meters, "success", "sms");
        this.succeededByPassword = signIns(meters, "success", "pwd");
        this.failedBySms = signIns(meters, "failure", "sms");
        this.failedByPassword = signIns(meters, "failure", "pwd");
        this.audit = audit;
        this.users = users;
    }

    /** @param amr {@code sms} or {@code pwd}, as the session records it */
    void succeeded(User user, String amr, Partner partner, String clientIp) {
        ("pwd".equals(amr) ? succeededByPassword : succeededBySms).increment();
        audit.record(Actor.user(user.id()), "signin.success", user.id(), clientIp,
                AuditEvent.details("method", method(amr), "client_id", partner.clientId()));
    }

    void failed(String phone, String amr, String reason, Partner partner, String clientIp) {
        ("pwd".equals(amr) ? failedByPassword : failedBySms).increment();
        Optional<User> user = users.findByPhone(phone);
        audit.record(Actor.user(user.map(User::id).orElse(null)), "signin.failure", user.map(User::id).orElse(null),
                clientIp, AuditEvent.details("method", method(amr), "reason", reason, "phone", masked(phone),
                        "client_id", partner.clientId()));
    }

    void registered(User user, Partner partner, String clientIp) {
        audit.record(Actor.user(user.id()), "user.registered", user.id(), clientIp,
                AuditEvent.details("client_id", partner.clientId()));
    }

    private static Counter signIns(MeterRegistry meters, String outcome, String method) {
        return Counter.builder("freedom_id_signins").description("Sign-ins on the hosted pages, by outcome and method")
                .tag("outcome", outcome).tag("method", method).register(meters);
    }

    private static String method(String amr) {
        return "pwd".equals(amr) ? "password" : amr;
    }

    /** {@code +77011234567} → {@code +7701*****67}: enough to tell numbers apart in an investigation, no more. */
    static String masked(String phone) {
        if (phone == null || phone.length() < 8) return "***";
        return phone.substring(0, 5) + "*".repeat(phone.length() - 7) + phone.substring(phone.length() - 2);
    }
}
