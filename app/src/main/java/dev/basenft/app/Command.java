package dev.basenft.app;

/** What a process runs: the production processes (server, worker), or both at once for development. */
enum Command {
    /** The HTTP API only. */
    SERVER(true, false),
    /** The distribution worker only. */
    WORKER(false, true),
    /** Both, on local infrastructure. */
    DEV(true, true);

    final boolean http;
    final boolean worker;

    Command(boolean http, boolean worker) {
        this.http = http;
        this.worker = worker;
    }
}
