package kz.freedomid.user;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Ids;

/**
 * Attaches, lists and removes a user's cards (released by {@code read.cards}). Only the masked number is accepted: input
 * that looks like a full card number is refused with a message that does not repeat it, and is neither stored nor logged.
 */
public final class CardService {
    /** What an operator sends to attach a card, as received. */
    public record NewCard(String maskedPan, String brand, String expiry) {
        @Override
        public String toString() {
            return "NewCard[…]"; // the input might be a full card number: never let it reach a log line
        }
    }

    public static final Set<String> BRANDS = Set.of("VISA", "MASTERCARD", "MIR", "UNIONPAY", "AMEX", "JCB", "OTHER");
    private static final Pattern MASKED_PAN = Pattern.compile("^\\d{6}\\*{2,9}\\d{4}$");
    private static final Pattern EXPIRY = Pattern.compile("^(0[1-9]|1[0-2])/\\d{2}$");

    private final CardStore store;
    private final Ids ids;
    private final Clock clock;

    public CardService(CardStore store, Ids ids, Clock clock) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
    }

    /** @throws FreedomException 422 with the field map for bad input, 404 for an unknown user */
    public Card attach(UUID userId, NewCard input) {
        Card card = check(ids.random(), input);
        if (!store.insert(userId, card, clock.instant())) throw new FreedomException(FreedomError.NOT_FOUND, "no user " + userId);
        return card;
    }

    public List<Card> list(UUID userId) {
        return store.list(userId);
    }

    /** False when the user has no such card. */
    public boolean remove(UUID userId, UUID cardId) {
        return store.delete(userId, cardId);
    }

    /** Checks the three fields together, so that one answer names every problem; returns the card to store. */
    static Card check(UUID id, NewCard input) {
        FieldErrors errors = new FieldErrors();
        refuseFullNumber("masked_pan", input.maskedPan(), errors);
        refuseFullNumber("brand", input.brand(), errors);
        refuseFullNumber("expiry", input.expiry(), errors);
        String pan = input.maskedPan();
        String brand = input.brand() == null ? null : input.brand().strip().toUpperCase(Locale.ROOT);
        String expiry = input.expiry();
        if (errors.isEmpty()) {
            if (pan == null || pan.isEmpty()) {
                errors.add("masked_pan", "The masked_pan field is required.");
            } else if (!MASKED_PAN.matcher(pan).matches()) {
                errors.add("masked_pan", "The masked_pan must be 6 digits, 2 to 9 '*' and 4 digits (440043******1234).");
            }
            if (brand == null || brand.isEmpty()) {
                errors.add("brand", "The brand field is required.");
            } else if (!BRANDS.contains(brand)) {
                errors.add("brand", "The brand must be one of " + String.join(", ", new java.util.TreeSet<>(BRANDS)) + ".");
            }
            if (expiry == null || expiry.isEmpty()) {
                errors.add("expiry", "The expiry field is required.");
            } else if (!EXPIRY.matcher(expiry).matches()) {
                errors.add("expiry", "The expiry must be MM/YY with a month from 01 to 12.");
            }
        }
        errors.throwIfAny();
        return new Card(id, pan, brand, expiry);
    }

    private static void refuseFullNumber(String field, String value, FieldErrors errors) {
        if (CardNumbers.looksLikeFullNumber(value)) {
            errors.add(field, "The " + field + " looks like a full card number, which is never accepted or stored."
                    + " Send only the masked number: the first 6 and last 4 digits with * between (440043******1234).");
        }
    }
}
