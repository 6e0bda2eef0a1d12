package kz.freedomid.login;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development SMS sender: keeps the last messages in memory for {@code GET /dev/outbox}. The log line names the
 * recipient but not the code, so even a development log never holds a one-time code.
 */
public final class DevOutbox implements SmsSender {
    private static final Logger LOG = LoggerFactory.getLogger(DevOutbox.class);
    private static final int KEEP = 200;

    public record Entry(String to, String text, String code, Instant sentAt) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Clock clock;

    public DevOutbox(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void send(Message message) {
        entries.addFirst(new Entry(message.to(), message.text(), message.code(), clock.instant()));
        if (entries.size() > KEEP) entries.removeLast();
        LOG.info("SMS to {} kept in the development outbox: GET /dev/outbox?to={}", message.to(), message.to());
    }

    /** Newest first. */
    public synchronized List<Entry> to(String phone) {
        List<Entry> out = new ArrayList<>();
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (phone == null || e.to().equals(phone)) out.add(e);
        }
        return out;
    }
}
