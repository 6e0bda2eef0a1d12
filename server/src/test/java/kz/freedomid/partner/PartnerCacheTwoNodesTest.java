package kz.freedomid.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.App;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Partner records are cached per node ({@link CachingPartnerStore}): a change is seen at once by the node that made
 * it and within {@link CachingPartnerStore#UNHEARD_MAX_AGE} by another node on the same database (PostgreSQL, or one
 * in-memory H2 shared inside this JVM) that does not listen for changes: node B here is the domain without HTTP, as
 * the admin command line builds it, so it never listens. A disabled partner's tokens stop at once on every node.
 * {@code CacheInvalidationTest} covers listening nodes (PostgreSQL).
 */
class PartnerCacheTwoNodesTest {
    static TestServer server;
    static App nodeA;
    static App nodeB;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of());
        nodeA = server.app;
        Config c = nodeA.config;
        nodeB = new App(c.withPort(0), server.clock); // the domain on the same database: its own partner cache
    }

    @AfterAll
    static void stop() {
        nodeB.close();
        server.close();
    }

    @Test
    void disablingOnOneNodeStopsClientAuthenticationThereAtOnceAndOnTheOtherWithinTheBound() throws Exception {
        var registered = nodeA.partnerAdmin.create(new PartnerService.NewPartner("Cached", List.of("https://cached.example/cb"),
                Set.of(Grant.READ_FIRSTNAME), null), "test");
        String clientId = registered.partner().clientId().toString();
        String secret = registered.clientSecret();
        assertThat(nodeB.partners.authenticate(clientId, secret).active()).isTrue(); // now in B's cache
        assertThat(nodeA.partners.authenticate(clientId, secret).active()).isTrue(); // and in A's

        long changed = System.nanoTime();
        nodeA.partnerAdmin.setActive(UUID.fromString(clientId), false, "test");
        assertThatThrownBy(() -> nodeA.partners.authenticate(clientId, secret)).isInstanceOf(FreedomException.class);

        sleepUntil(changed + CachingPartnerStore.UNHEARD_MAX_AGE.toNanos());
        assertThatThrownBy(() -> nodeB.partners.authenticate(clientId, secret)).isInstanceOf(FreedomException.class);

        nodeA.partnerAdmin.setActive(UUID.fromString(clientId), true, "test");
        sleepUntil(System.nanoTime() + CachingPartnerStore.UNHEARD_MAX_AGE.toNanos());
        assertThat(nodeB.partners.authenticate(clientId, secret).active()).isTrue();
    }

    @Test
    void aNewSecretReplacesTheOldOneOnTheOtherNodeWithinTheBoundAndANewPartnerWorksThereAtOnce() throws Exception {
        var registered = nodeA.partnerAdmin.create(new PartnerService.NewPartner("Rotated", List.of("https://rotated.example/cb"),
                Set.of(Grant.READ_FIRSTNAME), null), "test");
        String clientId = registered.partner().clientId().toString();
        // Unknown client_ids are not cached: B knows a partner registered on A at once.
        assertThat(nodeB.partners.authenticate(clientId, registered.clientSecret()).name()).isEqualTo("Rotated");

        long changed = System.nanoTime();
        String fresh = nodeA.partnerAdmin.rotateSecret(UUID.fromString(clientId), "test").orElseThrow();
        assertThatThrownBy(() -> nodeA.partners.authenticate(clientId, registered.clientSecret()))
                .isInstanceOf(FreedomException.class);
        assertThat(nodeA.partners.authenticate(clientId, fresh).name()).isEqualTo("Rotated");

        sleepUntil(changed + CachingPartnerStore.UNHEARD_MAX_AGE.toNanos());
        assertThatThrownBy(() -> nodeB.partners.authenticate(clientId, registered.clientSecret()))
                .isInstanceOf(FreedomException.class);
        assertThat(nodeB.partners.authenticate(clientId, fresh).name()).isEqualTo("Rotated");
    }

    @Test
    void aDisabledPartnersTokensStopOnTheOtherNodeAtOnce() {
        var registered = nodeA.partnerAdmin.create(new PartnerService.NewPartner("Tokens", List.of("https://tokens.example/cb"),
                Set.of(Grant.READ_FIRSTNAME), null), "test");
        Partner partner = nodeB.partners.authenticate(registered.partner().clientId().toString(), registered.clientSecret());
        var issued = nodeB.tokens.issueServiceToken(partner, Set.of(), "127.0.0.1");
        assertThat(nodeB.tokens.findAccess(issued.accessToken())).isPresent();

        nodeA.partnerAdmin.setActive(partner.clientId(), false, "test");
        assertThat(nodeB.tokens.findAccess(issued.accessToken())).isEmpty(); // token lookups join the partner's row
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) Thread.sleep(left / 1_000_000 + 1);
    }
}
