package kz.freedomid.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Redirects;
import kz.freedomid.token.TokenService;

/**
 * The life of a login link (contract 3.1, 3.2): created for a partner, opened by the browser, and finished exactly once
 * with a code, a decline or an expiry, each returned to the partner as a redirect.
 */
public final class LoginFlow {
    public record Link(UUID trackId, Instant expiresAt) {}

    public sealed interface TrackState {
        record Open(LoginTrack track, Partner partner) implements TrackState {}

        record Expired(LoginTrack track, Partner partner) implements TrackState {}

        record Finished() implements TrackState {}

        record Unknown() implements TrackState {}
    }

    /** What the login pages show as the "partner" of an account sign-in: Freedom ID itself. */
    static final Partner ACCOUNT = new Partner(null, "Freedom ID", "", java.util.List.of(), Set.of(), null, null, null,
            true, Instant.EPOCH, kz.freedomid.partner.ClientSettings.defaults());

    private final TrackStore tracks;
    private final ConsentStore consents;
    private final PartnerService partners;
    private final TokenService tokens;
    private final Ids ids;
    private final Clock clock;
    private final Duration linkLifetime;
    private final String issuer;
    private final AuditLog audit;

    public LoginFlow(TrackStore tracks, ConsentStore consents, PartnerService partners, TokenService tokens, Ids ids,
                     Clock clock, Duration linkLifetime, String issuer, AuditLog audit) {
        this.issuer = issuer;
        this.audit = audit;
        this.tracks = tracks;
        this.consents = consents;
        this.partners = partners;
        this.tokens = tokens;
        this.ids = ids;
        this.clock = clock;
        this.linkLifetime = linkLifetime;
    }

    public Link createLink(Partner partner, String redirectUri, Set<Grant> grants, String state) {
        return createLink(partner, redirectUri, grants, state, null);
    }

    /** A link for an OpenID Connect authorization request (contract 4.2): same pages, OIDC redirect parameters. */
    public Link createLink(Partner partner, String redirectUri, Set<Grant> grants, String state,
                           LoginTrack.OidcRequest oidc) {
        Instant now = clock.instant();
        LoginTrack track = new LoginTrack(ids.random(), partner.clientId(), redirectUri, grants, state, now,
                now.plus(linkLifetime), null, oidc);
        tracks.insert(track);
        return new Link(track.id(), track.expiresAt());
    }

    /** A sign-in for the account page that returns to {@code returnPath} (a path on this server). */
    public Link createAccountLink(String returnPath) {
        Instant now = clock.instant();
        LoginTrack track = new LoginTrack(ids.random(), null, returnPath, Set.of(), null, now, now.plus(linkLifetime),
                null, null);
        tracks.insert(track);
        return new Link(track.id(), track.expiresAt());
    }

    public TrackState open(String rawTrackId) {
        Optional<LoginTrack> found = PartnerService.parseUuid(rawTrackId).flatMap(tracks::find);
        if (found.isEmpty()) return new TrackState.Unknown();
        LoginTrack track = found.get();
        if (track.finishedAt() != null) return new TrackState.Finished();
        Optional<Partner> partner = track.isAccount() ? Optional.of(ACCOUNT)
                : partners.find(track.clientId()).filter(Partner::active);
        if (partner.isEmpty()) return new TrackState.Unknown();
        if (track.expiredAt(clock.instant())) return new TrackState.Expired(track, partner.get());
        return new TrackState.Open(track, partner.get());
    }

    /** True when the user already consented to at least these grants for this partner (remembered consent). */
    public boolean consentRemembered(UUID userId, LoginTrack track) {
        if (track.isAccount()) return true; // the user's own account asks for no consent
        if (track.isOidc() && "consent".equals(track.oidc().prompt())) return false;
        return consents.granted(userId, track.clientId()).containsAll(track.grants());
    }

    /**
     * Whether this session's sign-in is good enough for the track: OIDC {@code prompt=login} wants a sign-in made
     * after the request, {@code max_age} one at most that many seconds old (OIDC Core §3.1.2.1).
     */
    public boolean authenticationFresh(LoginTrack track, WebSession session) {
        if (!session.signedIn()) return false;
        if (!track.isOidc()) return true;
        if ("login".equals(track.oidc().prompt()) && session.authTime().isBefore(track.createdAt())) return false;
        Integer maxAge = track.oidc().maxAge();
        return maxAge == null || !session.authTime().plusSeconds(maxAge).isBefore(clock.instant());
    }

    /**
     * Issues the code and returns the partner redirect; empty when the track was already finished. Consent to grants
     * not given before is remembered and audited ({@code consent.granted}, from {@code clientIp}).
     */
    public Optional<String> approve(LoginTrack track, Partner partner, WebSession session, String clientIp) {
        if (!tracks.finish(track.id(), clock.instant())) return Optional.empty();
        if (track.isAccount()) return Optional.of(track.redirectUri());
        Set<Grant> before = consents.granted(session.userId(), partner.clientId());
        if (!before.containsAll(track.grants())) {
            Set<Grant> remembered = new java.util.HashSet<>(before);
            remembered.addAll(track.grants());
            consents.save(session.userId(), partner.clientId(), remembered, clock.instant());
            Set<Grant> added = new java.util.HashSet<>(track.grants());
            added.removeAll(before);
            audit.record(Actor.user(session.userId()), "consent.granted", partner.clientId(), clientIp,
                    AuditEvent.details("grants", added.stream().map(Grant::wireName).toList()));
        }
        LoginTrack.OidcRequest oidc = track.oidc();
        String code = tokens.issueCode(new TokenService.CodeRequest(partner, session.userId(), session.id(),
                track.grants(), track.redirectUri(), session.authTime(), session.amr(),
                oidc == null ? null : oidc.nonce(), oidc == null ? null : oidc.codeChallenge(),
                oidc == null ? null : oidc.dpopJkt()));
        return Optional.of(redirect(track, Map.of(track.isOidc() ? "code" : "authorization_code", code)));
    }

    public Optional<String> deny(LoginTrack track) {
        if (track.isAccount()) return tracks.finish(track.id(), clock.instant()) ? Optional.of("/") : Optional.empty();
        return track.isOidc() ? fail(track, "access_denied", "The user denied the request.")
                : finishWithError(track, FreedomError.USER_DECLINED);
    }

    public Optional<String> expired(LoginTrack track) {
        if (track.isAccount()) return tracks.finish(track.id(), clock.instant()) ? Optional.of(track.redirectUri()) : Optional.empty();
        return track.isOidc() ? fail(track, "access_denied", "The sign-in took too long; start again.")
                : finishWithError(track, FreedomError.LOGIN_LINK_EXPIRED);
    }

    /** Ends an OIDC request with a standard error redirect (RFC 6749 §4.1.2.1), e.g. login_required for prompt=none. */
    public Optional<String> fail(LoginTrack track, String error, String description) {
        if (!tracks.finish(track.id(), clock.instant())) return Optional.empty();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", description);
        return Optional.of(redirect(track, params));
    }

    private Optional<String> finishWithError(LoginTrack track, FreedomError error) {
        if (!tracks.finish(track.id(), clock.instant())) return Optional.empty();
        return Optional.of(redirect(track, Map.of("error_code", String.valueOf(error.code()))));
    }

    private String redirect(LoginTrack track, Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (track.state() != null) all.put("state", track.state());
        if (track.isOidc()) all.put("iss", issuer); // RFC 9207
        return Redirects.withParams(track.redirectUri(), all);
    }
}
