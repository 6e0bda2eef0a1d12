package kz.freedomid.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomException;
import org.junit.jupiter.api.Test;

/** The validation rules of contract 3.8 and 3.9, without HTTP or a database. */
class UserRulesTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 3, 4);

    private static UserInput phone(String phone) {
        UserInput none = UserInput.none();
        return new UserInput(Patch.put(phone), none.email(), none.firstname(), none.lastname(), none.patronymic(),
                none.dateOfBirth(), none.gender(), none.country(), none.nationality(), none.identifier(), none.phones(),
                none.emails());
    }

    private static UserInput dateOfBirth(String date) {
        UserInput p = phone("+77011234567");
        return new UserInput(p.phone(), p.email(), p.firstname(), p.lastname(), p.patronymic(), Patch.put(date),
                p.gender(), p.country(), p.nationality(), p.identifier(), p.phones(), p.emails());
    }

    private static Map<String, List<String>> errors(UserInput input, boolean creating) {
        FieldErrors errors = new FieldErrors();
        UserRules.check(input, creating, TODAY, errors);
        try {
            errors.throwIfAny();
            return Map.of();
        } catch (FreedomException e) {
            return e.fieldErrors();
        }
    }

    @Test
    void phoneIsPlusAndTenToFifteenDigits() {
        assertThat(UserRules.isPhone("+7701123456")).isTrue();
        assertThat(UserRules.isPhone("+770112345678901")).isTrue();
        assertThat(UserRules.isPhone("+770112345")).isFalse();
        assertThat(UserRules.isPhone("+7701123456789012")).isFalse();
        assertThat(UserRules.isPhone("77011234567")).isFalse();
        assertThat(UserRules.isPhone("+7701123456\n")).isFalse();
        assertThat(UserRules.isPhone("+7701１２３4567")).as("full-width digits").isFalse();
    }

    @Test
    void phoneIsRequiredOnCreateAndCannotBeClearedOnUpdate() {
        assertThat(errors(UserInput.none(), true)).containsOnlyKeys("phone");
        assertThat(errors(UserInput.none(), false)).isEmpty();
        UserInput none = UserInput.none();
        UserInput cleared = new UserInput(Patch.clear(), none.email(), none.firstname(), none.lastname(),
                none.patronymic(), none.dateOfBirth(), none.gender(), none.country(), none.nationality(),
                none.identifier(), none.phones(), none.emails());
        assertThat(errors(cleared, false)).containsOnlyKeys("phone");
    }

    @Test
    void dateOfBirthIsARealDateBeforeToday() {
        assertThat(errors(dateOfBirth("2024-02-29"), true)).isEmpty(); // a leap day
        assertThat(errors(dateOfBirth("2025-03-03"), true)).isEmpty();
        assertThat(errors(dateOfBirth("1900-01-01"), true)).isEmpty();
        for (String bad : List.of("2023-02-29", "2023-02-30", "2023-04-31", "2025-03-04", "2025-03-05", "1899-12-31",
                "+2023-01-01", "2023-1-01", "20230101", "2023-01-01T00:00")) {
            assertThat(errors(dateOfBirth(bad), true)).as(bad).containsOnlyKeys("date_of_birth");
        }
    }

    @Test
    void countryIsAnAssignedAlpha3Code() {
        assertThat(UserRules.isCountry("KAZ")).isTrue();
        assertThat(UserRules.isCountry("KGZ")).isTrue();
        assertThat(UserRules.isCountry("XXX")).isFalse();
        assertThat(UserRules.isCountry("KZ")).isFalse();
        assertThat(UserRules.isCountry("kaz")).isFalse();
        assertThat(UserRules.isCountry("KAZA")).isFalse();
    }

    @Test
    void emailFollowsTheHtmlDefinitionAndFitsInAPath() {
        assertThat(UserRules.isEmail("dana.serikova+shop@mail.example.kz")).isTrue();
        assertThat(UserRules.isEmail("a@b.kz")).isTrue();
        assertThat(UserRules.isEmail("a@b")).isFalse();
        assertThat(UserRules.isEmail("a@@b.kz")).isFalse();
        assertThat(UserRules.isEmail("a@-b.kz")).isFalse();
        assertThat(UserRules.isEmail("a b@c.kz")).isFalse();
        assertThat(UserRules.isEmail("a".repeat(65) + "@b.kz")).isFalse();
        String label = "b".repeat(63);
        assertThat(UserRules.isEmail("a@" + label + "." + label + "." + label + ".kz")).as("63-character labels").isTrue();
        assertThat(UserRules.isEmail("a@" + label + "." + label + "." + label + "." + label + ".kz")).isFalse();
    }

    @Test
    void additionalValuesMayNotRepeatThePrimaryOnes() {
        FieldErrors errors = new FieldErrors();
        UserRules.checkNoRepeats("+77011234567", List.of("+77019999999", "+77011234567"), "a@b.kz", List.of("a@b.kz"),
                errors);
        try {
            errors.throwIfAny();
            throw new AssertionError("expected errors");
        } catch (FreedomException e) {
            assertThat(e.fieldErrors()).containsOnlyKeys("phones.1", "emails.0");
        }
    }
}
