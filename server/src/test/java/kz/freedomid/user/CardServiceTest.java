package kz.freedomid.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cards on the real database: only masked numbers get in, and a full number is never stored or repeated. */
class CardServiceTest {
    static TestServer server;
    static CardService cards;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        cards = server.app.cards;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static FreedomException refused(UUID userId, CardService.NewCard card) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> cards.attach(userId, card));
        assertThat(thrown).isInstanceOf(FreedomException.class);
        return (FreedomException) thrown;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"4400430012345678", "4400 4300 1234 5678", "4400-4300-1234-5678", "4400430012345",
            "4400430012345678901", "5469 3800 1234 5678 "})
    void attachWhenTheMaskedPanIsAFullCardNumberThenRefusedWithoutRepeatingItAndNothingStored(String pan) {
        UUID user = Flows.user(server, null).id();

        FreedomException e = refused(user, new CardService.NewCard(pan, "VISA", "09/29"));

        assertThat(e.error()).isEqualTo(FreedomError.VALIDATION);
        assertThat(e.fieldErrors()).containsOnlyKeys("masked_pan");
        // the message's own example (440043******1234) has runs of at most 6 digits
        assertThat(e.fieldErrors().get("masked_pan").get(0)).contains("full card number")
                .doesNotContain(pan.strip()).doesNotContainPattern("\\d{7}");
        assertThat(e.getMessage()).doesNotContainPattern("\\d{7}");
        assertThat(cards.list(user)).isEmpty();
        assertThat(server.count("SELECT COUNT(*) FROM user_cards WHERE user_id = ?", user)).isZero();
    }

    @Test
    void attachWhenAFullNumberIsSentInAnotherFieldThenRefusedThere() {
        UUID user = Flows.user(server, null).id();
        FreedomException e = refused(user, new CardService.NewCard("440043******1234", "4400430012345678", "09/29"));
        assertThat(e.fieldErrors()).containsOnlyKeys("brand");
        assertThat(e.fieldErrors().toString()).doesNotContain("4400430012345678");
        assertThat(new CardService.NewCard("4400430012345678", "VISA", "09/29").toString()).doesNotContain("4400");
    }

    @Test
    void attachWhenFieldsAreMalformedThenEachIsNamed() {
        UUID user = Flows.user(server, null).id();
        assertThat(refused(user, new CardService.NewCard("440043*1234", "DINERS", "13/29")).fieldErrors())
                .containsOnlyKeys("masked_pan", "brand", "expiry");
        assertThat(refused(user, new CardService.NewCard("440043**********1234", "VISA", "1/29")).fieldErrors())
                .containsOnlyKeys("masked_pan", "expiry");
        assertThat(refused(user, new CardService.NewCard(null, "", null)).fieldErrors())
                .containsOnlyKeys("masked_pan", "brand", "expiry");
        assertThat(refused(user, new CardService.NewCard("44004X******1234", "VISA", "00/29")).fieldErrors())
                .containsOnlyKeys("masked_pan", "expiry");
        assertThat(cards.list(user)).isEmpty();
    }

    @Test
    void attachListAndRemoveAMaskedCard() {
        UUID user = Flows.user(server, null).id();

        Card visa = cards.attach(user, new CardService.NewCard("440043******1234", "visa", "12/30"));
        server.clock.advance(java.time.Duration.ofSeconds(1));
        Card unionPay = cards.attach(user, new CardService.NewCard("622202**1234", "UNIONPAY", "01/27"));

        assertThat(visa.brand()).isEqualTo("VISA");
        assertThat(cards.list(user)).containsExactly(visa, unionPay);
        assertThat(cards.remove(user, visa.id())).isTrue();
        assertThat(cards.remove(user, visa.id())).isFalse();
        assertThat(cards.list(user)).containsExactly(unionPay);
    }

    @Test
    void removeWhenTheCardBelongsToAnotherUserThenNothingHappens() {
        UUID owner = Flows.user(server, null).id();
        UUID other = Flows.user(server, null).id();
        Card card = cards.attach(owner, new CardService.NewCard("440043******1234", "VISA", "12/30"));
        assertThat(cards.remove(other, card.id())).isFalse();
        assertThat(cards.list(owner)).containsExactly(card);
    }

    @Test
    void attachWhenTheUserDoesNotExistThen404() {
        assertThat(refused(UUID.randomUUID(), new CardService.NewCard("440043******1234", "VISA", "12/30")).error())
                .isEqualTo(FreedomError.NOT_FOUND);
    }

    @Test
    void theDatabaseItselfRefusesAnUnmaskedNumber() {
        UUID user = Flows.user(server, null).id();
        assertThatThrownBy(() -> server.execute("INSERT INTO user_cards (id, user_id, masked_pan, brand, expiry, created_at) "
                + "VALUES (?, ?, ?, 'VISA', '12/30', ?)", UUID.randomUUID(), user, "4400430012341234", server.clock.instant()))
                .satisfies(e -> assertThat(e.getMessage().toLowerCase()).contains("user_cards_pan_masked"));
        assertThat(cards.list(user)).isEmpty();
    }

    @Test
    void cardNumbersRecogniseFullNumbersOnly() {
        for (String full : List.of("4400430012345678", "4400 4300 1234 5678", "4400-4300-1234-5678", "3782 822463 10005",
                "Card 4400430012345678 ok")) {
            assertThat(CardNumbers.looksLikeFullNumber(full)).as(full).isTrue();
        }
        for (String not : List.of("440043******1234", "+77011234567", "900517400123", "12/30", "Dana", "",
                "44004300123456789012")) {
            assertThat(CardNumbers.looksLikeFullNumber(not)).as(not).isFalse();
        }
    }
}
