package kz.freedomid.login;

/** Delivers one-time codes. {@code code} is given apart from the text so no sender needs to parse it. */
public interface SmsSender {
    record Message(String to, String text, String code) {
        @Override
        public String toString() {
            return "Message[to=" + to + "]"; // the code never reaches a log line
        }
    }

    void send(Message message);
}
