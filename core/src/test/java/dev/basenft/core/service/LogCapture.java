package dev.basenft.core.service;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects what core logs under one logger name. Core logs through {@link System.Logger}, which the JDK backs with
 * {@code java.util.logging} when no other {@code LoggerFinder} is installed (none is on core's test class path), so a JUL
 * handler sees every line with its parameters filled in. Thread-safe; close it to detach.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final boolean parentHandlers;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> lines = new ArrayList<>();

    private LogCapture(String loggerName) {
        // A strong reference: JUL holds loggers weakly, and a collected logger would lose the handler.
        this.logger = Logger.getLogger(loggerName);
        this.parentHandlers = logger.getUseParentHandlers();
        setLevel(Level.ALL);
        logger.addHandler(this);
        // Keep the console quiet while capturing; the lines are asserted, not read.
        logger.setUseParentHandlers(false);
    }

    /** Captures the campaign service's logger, {@code dev.basenft.campaigns}. */
    static LogCapture campaigns() {
        return new LogCapture("dev.basenft.campaigns");
    }

    /** Captures the worker's logger, {@code dev.basenft.worker}, where the runbook's lines come from. */
    static LogCapture worker() {
        return new LogCapture("dev.basenft.worker");
    }

    @Override
    public synchronized void publish(LogRecord record) {
        lines.add(formatter.formatMessage(record));
    }

    /** Every line so far, formatted. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines containing {@code fragment}. */
    synchronized List<String> linesContaining(String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parentHandlers);
    }
}
