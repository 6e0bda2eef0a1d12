package kz.freedomid.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node that something they may have cached has changed, through PostgreSQL's {@code LISTEN/NOTIFY}, and
 * says how long a cached value may be trusted.
 *
 * <p>Telling: {@link #announcing} runs a change in one transaction together with {@code pg_notify}, so the other nodes
 * hear the message only once the change is committed, and never when it rolls back. Messages are {@code topic} or
 * {@code topic:argument} ({@code partner:<client_id>}, {@code keys}); {@link #subscribe} hands the argument to this
 * node's listeners. Every process on the database announces its changes, the admin command line included; only a
 * serving node listens ({@link #start}). The channel is named after the schema, so deployments (or test runs) in other
 * schemas of the same database do not hear each other.
 *
 * <p>Listening: one connection of its own, outside the pool (the pool may close or replace its connections, and a
 * pooled one would count against the requests' 16), with {@code application_name} {@link #applicationName()}. Every
 * second it notifies a channel of this node's own and waits for the echo: as notifications arrive in commit order, the
 * echo proves that every change committed before it was sent has been heard (the connection, the server's queue and
 * this session's LISTEN all work; a PgBouncer in transaction mode, which does not carry LISTEN, fails this). When the
 * echo does not come back within {@link #TRUST_WINDOW} or the connection fails (the database restarts, the backend is
 * terminated, a read times out after {@link #SOCKET_TIMEOUT_SECONDS} s), the node stops trusting what it cached while
 * listening and connects again every second, by itself, until the database answers.
 *
 * <p>Trusting ({@link #isFresh}): a value read less than {@link #UNHEARD_MAX_AGE} ago is always fresh; that is the
 * whole bound on H2, in the admin command line, and whenever this node is not listening. A value read while this node
 * listened stays fresh up to {@code maxAge} (FREEDOM_ID_CACHE_MAX_AGE_SECONDS) only while that same connection still
 * listens and its last echo was sent less than {@link #TRUST_WINDOW} ago: a change is then seen here within the
 * milliseconds a notification takes, and when notifications silently stop arriving a change is seen within
 * {@code TRUST_WINDOW}. Whatever goes wrong, a cached value is never older than {@code maxAge}. Ages are measured on
 * the monotonic clock, as Caffeine does, not on the server's {@code Clock}: the bound is about real time, and tests
 * freeze their clock.
 */
public final class ClusterEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

    /** How long a cached value is used when this node cannot count on hearing of changes. */
    public static final Duration UNHEARD_MAX_AGE = Duration.ofSeconds(1);
    /** How long what was heard counts as up to date after the last echo was sent. */
    public static final Duration TRUST_WINDOW = Duration.ofSeconds(3);
    static final int SOCKET_TIMEOUT_SECONDS = 2;
    private static final long HEARTBEAT_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int POLL_MILLIS = 500;
    private static final long RETRY_MILLIS = 1_000;
    /** The channel, computed by the database for the schema it works in; the same expression listens and notifies. */
    private static final String CHANNEL = "'freedom_id_' || md5(coalesce(current_schema(), ''))";

    /** When a cached value was read: taken just before reading it, checked at every use. */
    public record Stamp(long epoch, long nanos) {}

    private final Database database;
    private final Jdbi jdbi;
    private final boolean postgres;
    private final long maxAgeNanos;
    private final String nodeId = java.util.UUID.randomUUID().toString().substring(0, 8);
    private final String applicationName = "freedom-id events " + nodeId;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    /** Changes whenever listening starts or is found broken: a value read under another epoch may have missed a message. */
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean listening;
    private volatile long answeredAt;
    private volatile boolean closed;
    private volatile Connection connection;
    private Thread thread;
    /** Whether the listener thread has warned that it does not listen (it says so once, and once when it is back). */
    private boolean warned;

    /** @param maxAge how long a value read while listening may be used at most */
    public ClusterEvents(Database database, Duration maxAge) {
        this.database = database;
        this.jdbi = database.jdbi();
        this.postgres = database.isPostgres();
        this.maxAgeNanos = Math.max(maxAge.toNanos(), UNHEARD_MAX_AGE.toNanos());
    }

    /** Starts listening on PostgreSQL (a serving node); on H2 there is nothing to listen to. */
    public synchronized void start() {
        if (!postgres || thread != null) return;
        thread = Thread.ofPlatform().daemon().name("cluster-events").start(this::listen);
    }

    /** {@code listener} gets the argument of every message {@code topic:argument} (empty for a bare {@code topic}). */
    public void subscribe(String topic, Consumer<String> listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /**
     * Runs {@code change} in one transaction that also announces {@code message}: other nodes hear it once the change
     * commits (a caller's open transaction is joined, and they hear it when that one commits). On H2 it just runs.
     */
    public <T> T announcing(String message, Supplier<T> change) {
        if (!postgres) return change.get();
        return jdbi.inTransaction(h -> {
            T result = change.get();
            announce(message);
            return result;
        });
    }

    /**
     * Announces {@code message} within the caller's open transaction (heard once it commits), or at once when there is
     * none; for a change that is known to have happened only once it is made. Nothing on H2.
     */
    public void announce(String message) {
        if (!postgres) return;
        jdbi.useHandle(h -> h.createUpdate("SELECT pg_notify(" + CHANNEL + ", :message)").bind("message", message).execute());
    }

    /** Taken just before reading a value to cache. */
    public Stamp stamp() {
        return new Stamp(epoch.get(), System.nanoTime());
    }

    /** Whether a value read at {@code stamp} may still be used (see the class comment for the bounds). */
    public boolean isFresh(Stamp stamp) {
        long now = System.nanoTime();
        long age = now - stamp.nanos();
        if (age < UNHEARD_MAX_AGE.toNanos()) return true;
        return age < maxAgeNanos && stamp.epoch() == epoch.get() && listening
                && now - answeredAt < TRUST_WINDOW.toNanos();
    }

    /** The longest a cached value is ever used (at least {@link #UNHEARD_MAX_AGE}). */
    public Duration maxAge() {
        return Duration.ofNanos(maxAgeNanos);
    }

    /** True while this node listens and its last echo was sent within {@link #TRUST_WINDOW}. */
    public boolean listening() {
        return listening && System.nanoTime() - answeredAt < TRUST_WINDOW.toNanos();
    }

    /** The {@code application_name} of the listening connection, as {@code pg_stat_activity} shows it. */
    public String applicationName() {
        return applicationName;
    }

    private void listen() {
        while (!closed) {
            try (Connection c = connect()) {
                connection = c;
                if (closed) return;
                receive(c, subscribeTo(c));
            } catch (SQLException | RuntimeException e) {
                stopTrusting();
                if (closed) return;
                if (!warned) LOG.warn("not listening for cache invalidations ({}); caches keep values {} ms at most until "
                        + "this node listens again", e.getMessage(), UNHEARD_MAX_AGE.toMillis());
                warned = true;
            } finally {
                connection = null;
            }
            if (!closed) pause();
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        return database.connectOutsidePool(properties);
    }

    /** Listens on the shared channel and on this node's own, and returns the own one (for its echo). */
    private String subscribeTo(Connection c) throws SQLException {
        c.setAutoCommit(true);
        String channel;
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT " + CHANNEL)) {
                rs.next();
                channel = rs.getString(1); // letters, digits and _ only
            }
            s.execute("LISTEN " + channel);
            s.execute("LISTEN " + channel + "_" + nodeId);
        }
        return channel + "_" + nodeId;
    }

    /**
     * Every second, a notification to this node's own channel must come back within {@link #TRUST_WINDOW}: that proves
     * the whole way (the connection, the server's notification queue, this session listening) and not only that the
     * connection answers. Values read before a gap longer than the trust window are no longer trusted.
     */
    private void receive(Connection c, String echoChannel) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        try (PreparedStatement ping = c.prepareStatement("SELECT pg_notify(?, '')")) {
            ping.setString(1, echoChannel);
            boolean first = true;
            while (!closed) {
                long sent = System.nanoTime();
                if (first || sent - answeredAt >= HEARTBEAT_NANOS) {
                    ping.execute();
                    awaitEcho(pg, echoChannel, sent + TRUST_WINDOW.toNanos());
                    if (first || sent - answeredAt >= TRUST_WINDOW.toNanos()) epoch.incrementAndGet();
                    answeredAt = sent;
                    // From here a change committed after a value was read reaches this node, so it may be trusted.
                    listening = true;
                    if (first && warned) LOG.warn("listening for cache invalidations again");
                    warned = false;
                    first = false;
                }
                dispatch(pg.getNotifications(POLL_MILLIS), echoChannel);
            }
        }
    }

    private void awaitEcho(PGConnection pg, String echoChannel, long deadline) throws SQLException {
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) throw new SQLException("this node's own notification did not come back within " + TRUST_WINDOW);
            if (dispatch(pg.getNotifications((int) left), echoChannel)) return;
        }
    }

    /** Hands each message to its topic's listeners; true when this node's echo was among them. */
    private boolean dispatch(PGNotification[] notifications, String echoChannel) {
        boolean echo = false;
        if (notifications == null) return false;
        for (PGNotification n : notifications) {
            if (n.getName().equals(echoChannel)) {
                echo = true;
                continue;
            }
            String message = n.getParameter();
            int colon = message.indexOf(':');
            String topic = colon < 0 ? message : message.substring(0, colon);
            String argument = colon < 0 ? "" : message.substring(colon + 1);
            for (Consumer<String> listener : listeners.getOrDefault(topic, List.of())) {
                try {
                    listener.accept(argument);
                } catch (RuntimeException e) {
                    LOG.warn("cache invalidation '{}' failed: {}", message, e.toString());
                }
            }
        }
        return echo;
    }

    private void stopTrusting() {
        listening = false;
        epoch.incrementAndGet();
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        stopTrusting();
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run); // ends a wait for notifications at once
            } catch (SQLException | RuntimeException ignored) {
                // closing anyway
            }
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
