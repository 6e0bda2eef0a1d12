package kz.freedomid.platform;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A value made at its first use, once. For what is costly to make and often never used, such as an HTTP client (the
 * first one initialises the TLS stack and reads the trusted certificates, about 0.1 s of the time to ready).
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> maker;
    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads would pin on JDK 21
    private volatile T value;

    public Lazy(Supplier<T> maker) {
        this.maker = maker;
    }

    @Override
    public T get() {
        T made = value;
        if (made != null) return made;
        lock.lock();
        try {
            if (value == null) value = maker.get();
            return value;
        } finally {
            lock.unlock();
        }
    }
}
