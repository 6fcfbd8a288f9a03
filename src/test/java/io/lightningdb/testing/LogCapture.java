package io.lightningdb.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what a System.Logger (backed by java.util.logging) said, for assertions. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> messages = new ArrayList<>();

    public LogCapture(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String msg = record.getMessage();
        Object[] params = record.getParameters();
        if (params != null) {
            msg = java.text.MessageFormat.format(msg, params);
        }
        messages.add(msg);
    }

    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    public synchronized boolean contains(String fragment) {
        return messages.stream().anyMatch(m -> m.contains(fragment));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
