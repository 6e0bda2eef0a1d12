package kz.freedomid.user;

import java.util.List;

/**
 * The list-valued user data kept beside the users row: additional phones and emails (in their order) and cards.
 * Readers that load only what a token's grants release leave the other lists empty.
 */
public record UserExtras(List<String> phones, List<String> emails, List<Card> cards) {
    public static final UserExtras NONE = new UserExtras(List.of(), List.of(), List.of());

    public UserExtras {
        phones = List.copyOf(phones);
        emails = List.copyOf(emails);
        cards = List.copyOf(cards);
    }
}
