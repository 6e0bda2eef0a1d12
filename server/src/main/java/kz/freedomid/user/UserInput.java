package kz.freedomid.user;

import java.util.List;

/**
 * What a partner (contract 3.8, 3.9) or an operator sends to create or change a user, as received: values are checked
 * by {@link UserRules}. On create, a kept or cleared field simply has no value.
 */
public record UserInput(Patch<String> phone, Patch<String> email, Patch<String> firstname, Patch<String> lastname,
                        Patch<String> patronymic, Patch<String> dateOfBirth, Patch<String> gender, Patch<String> country,
                        Patch<String> nationality, Patch<String> identifier, Patch<List<String>> phones,
                        Patch<List<String>> emails) {

    /** Every field kept. */
    public static UserInput none() {
        return new UserInput(Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(),
                Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep());
    }
}
