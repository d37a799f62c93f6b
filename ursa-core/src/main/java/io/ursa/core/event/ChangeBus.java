package io.ursa.core.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans committed changes out to listeners. Thread-safe; a failing listener is logged and skipped. */
public final class ChangeBus {
    private static final Logger log = LoggerFactory.getLogger(ChangeBus.class);

    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener; closing the returned handle removes it. */
    public AutoCloseable subscribe(ChangeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(ResourceChange change) {
        for (ChangeListener l : listeners) {
            try {
                l.onChange(change);
            } catch (RuntimeException e) {
                log.warn("change listener {} failed on {}", l, change, e);
            }
        }
    }

    /** Tells every listener that changes may have been missed ({@link ChangeListener#onResync}). */
    public void publishResync() {
        for (ChangeListener l : listeners) {
            try {
                l.onResync();
            } catch (RuntimeException e) {
                log.warn("change listener {} failed on a resync", l, e);
            }
        }
    }
}
