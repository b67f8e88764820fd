/*
 * storage-floor: the storage work of a finished intake, replayed with no application logic.
 *
 * It reads a home that an intake has filled (its state store, views database, sandbox ledger,
 * alarm outbox and document bundles) and writes the same rows, events, view rows and files into
 * fresh databases and folders, in the order and the transactions the intake made them: the
 * ingest's chunks, the requests stage's, the payment intents' and verdicts', the withdrawals',
 * the views consumer's steps of eight chunks and the alarm batches. No JSON is parsed or written,
 * nothing is priced, rendered or checked: what it spends is what SQLite, the file system and the
 * kernel cost for this layout and this workload. `scripts/storage-floor.sh` runs it reading only,
 * then writing (everything, then each part alone), prints the differences (the floor under any
 * program that keeps this layout) and checks the replay against the home.
 *
 *   storage-floor SRC_HOME DST_DIR [--dry] [--no-store | --no-views | --no-files] [--lean | --events-only]
 *
 * --dry   reads everything (source rows, payloads, files) and writes nothing: the replay's own
 *         reading cost, subtracted by the script.
 * --no-store, --no-views, --no-files   leave out the writes of the state store (and the ledger),
 *         of the views database, or of the outbox and document files: what each part costs.
 * --events-only   the store keeps its event log and the requests' rows only (every record
 *         derived from the log): the least a store of this log can write.
 * --lean  the layout the README proposed until the twenty-third round: an event that repeats a
 *         record already written carries only its changes (its first 100 bytes stand for them),
 *         a plan's breakdown is stored once per distinct breakdown, and a proposal's updates
 *         set its status columns instead of rewriting its JSON.
 *
 * Its statements are the program's own writes, written out here: a migration that renames or adds
 * a column the program writes must be followed here (CI runs the replay and its check).
 *
 * Build: cc -O2 -o storage-floor storage-floor.c -lsqlite3
 */
#include <sqlite3.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CHUNK = 1000, VIEW_STEP = 8 * CHUNK };

static int dry, lean, eventsOnly, skipStore, skipViews, skipFiles;
/* Rows the replay wrote into the store and the ledger. */
static long long rows;
/* --events-only: the store statements still run (the log and the requests' rows). */
static sqlite3_stmt *eventInsert, *requestInsert;
static sqlite3 *src, *srcViews, *srcLedger, *dst, *dstViews, *dstLedger;

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "storage-floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : strerror(errno));
    exit(1);
}

static void exec(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "storage-floor: %s: %s\n", sql, err);
        exit(1);
    }
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) die(db, sql);
    return s;
}

/* Whether writes to `db` are left out (--dry, or its part skipped). */
static int skipped(sqlite3 *db) {
    return dry || ((db == dst || db == dstLedger) && skipStore) || (db == dstViews && skipViews);
}

/* Runs a write statement (nothing where skipped) and resets it. */
static void run(sqlite3_stmt *s) {
    sqlite3 *db = sqlite3_db_handle(s);
    int recordOnly = eventsOnly && db == dst && s != eventInsert && s != requestInsert;
    if (!skipped(db) && !recordOnly) {
        if (db == dst || db == dstLedger) rows++;
        int rc = sqlite3_step(s);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) die(db, sqlite3_sql(s));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

/* Binds column `col` of the source row `from` to parameter `i` of `to`, without a copy (the
 * source row stays put until `to` has run). */
static void col(sqlite3_stmt *to, int i, sqlite3_stmt *from, int col) {
    switch (sqlite3_column_type(from, col)) {
    case SQLITE_INTEGER: sqlite3_bind_int64(to, i, sqlite3_column_int64(from, col)); break;
    case SQLITE_NULL: sqlite3_bind_null(to, i); break;
    default: sqlite3_bind_text(to, i, (const char *)sqlite3_column_text(from, col), sqlite3_column_bytes(from, col), SQLITE_STATIC);
    }
}

static void text(sqlite3_stmt *to, int i, const char *value) {
    if (value) sqlite3_bind_text(to, i, value, -1, SQLITE_STATIC); else sqlite3_bind_null(to, i);
}

/* Steps a source lookup keyed by `key`; returns whether it found a row (left unreset). */
static int find(sqlite3_stmt *s, const char *key) {
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    return sqlite3_step(s) == SQLITE_ROW;
}

/* Copies the schema of `from` (tables and indexes, in the order they were made) into `to`. */
static void copySchema(sqlite3 *from, sqlite3 *to) {
    sqlite3_stmt *s = prep(from, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid");
    while (sqlite3_step(s) == SQLITE_ROW) exec(to, (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

static sqlite3 *openSource(const char *path) {
    sqlite3 *db;
    char uri[4200];
    snprintf(uri, sizeof uri, "file:%s?mode=ro", path);
    if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) die(db, path);
    exec(db, "PRAGMA cache_size = -65536");
    return db;
}

/* A destination database as the program opens its own: 8 KiB pages, WAL, synchronous NORMAL. */
static sqlite3 *openDestination(const char *path, int cacheKiB, int foreignKeys, sqlite3 *schemaOf) {
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) die(db, path);
    char sql[200];
    exec(db, "PRAGMA page_size = 8192");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = NORMAL");
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", cacheKiB);
    exec(db, sql);
    exec(db, foreignKeys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
    exec(db, "BEGIN");
    copySchema(schemaOf, db);
    exec(db, "COMMIT");
    return db;
}

/* ---- files ---------------------------------------------------------------------------------- */

static char srcHome[2048], dstDir[2048];
static char *fileBuf;
static size_t fileCap;
static long long filesWritten, fileBytes;

/* Reads SRC_HOME/rel into the buffer; returns its size. */
static size_t readFile(const char *rel) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", srcHome, rel);
    int fd = open(path, O_RDONLY);
    if (fd < 0) die(NULL, path);
    struct stat st;
    fstat(fd, &st);
    if ((size_t)st.st_size > fileCap) { fileCap = st.st_size * 2; fileBuf = realloc(fileBuf, fileCap); }
    size_t done = 0;
    while (done < (size_t)st.st_size) {
        ssize_t n = read(fd, fileBuf + done, st.st_size - done);
        if (n <= 0) die(NULL, path);
        done += n;
    }
    close(fd);
    return done;
}

/* Writes the buffer to DST_DIR/<flat name> under a temporary name, renamed into place now
 * (documents) or kept for `publish` (alarm batches, synced then renamed, as the program does;
 * a full list is published at once, as the program's alarms stage does in groups). */
enum { PENDING_MAX = 16384 };
static char pending[PENDING_MAX][64];
static int pendingCount;
static void publish(void);
static void writeFile(const char *rel, size_t size, int later) {
    if (dry || skipFiles) return;
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    char temp[4200], final[4200];
    snprintf(temp, sizeof temp, "%s/out/.%s.tmp", dstDir, base);
    snprintf(final, sizeof final, "%s/out/%s", dstDir, base);
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) die(NULL, temp);
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, fileBuf + done, size - done);
        if (n <= 0) die(NULL, temp);
        done += n;
    }
    close(fd);
    filesWritten++;
    fileBytes += size;
    if (later) {
        if (pendingCount == PENDING_MAX) publish();
        snprintf(pending[pendingCount++], 64, "%s", base);
        return;
    }
    if (rename(temp, final) != 0) die(NULL, final);
}

/* The alarms stage's publishing: each batch file fsync'd and renamed, then the folder synced. */
static void publish(void) {
    char temp[4200], final[4200];
    for (int i = 0; i < pendingCount; i++) {
        snprintf(temp, sizeof temp, "%s/out/.%s.tmp", dstDir, pending[i]);
        snprintf(final, sizeof final, "%s/out/%s", dstDir, pending[i]);
        int fd = open(temp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0) die(NULL, temp);
        close(fd);
        if (rename(temp, final) != 0) die(NULL, final);
    }
    snprintf(temp, sizeof temp, "%s/out", dstDir);
    int fd = open(temp, O_RDONLY);
    if (fd >= 0) { fsync(fd); close(fd); }
    pendingCount = 0;
}

/* ---- the views consumer ----------------------------------------------------------------- */

typedef struct {
    int64_t seq;
    char type[40], occurred[16], customer[24], key[48];
    int kind; /* 0 request, 1 customer, 2 plan, 3 proposal, 4 withdrawal */
    char *doc;
    int docLen;
} ViewEvent;

static ViewEvent step[VIEW_STEP];
static int stepCount;
static sqlite3_stmt *vItemStatus, *vRequestStatus, *vProfiled, *vItem, *vCustomer, *vRequest, *vCheckpoint, *vCount;

static const char *kindName(int kind) {
    return kind == 2 ? "plan" : kind == 3 ? "proposal" : "withdrawal";
}

/* One step of the views consumer: the prior state of what the events touch read, then each
 * customer's row, each item's and each request's written once, the counts and the checkpoint. */
static void applyViews(void) {
    if (stepCount == 0) return;
    for (int i = 0; i < stepCount; i++) {
        ViewEvent *e = &step[i];
        sqlite3_stmt *s = e->kind == 0 ? vRequestStatus : e->kind == 1 ? vProfiled : vItemStatus;
        sqlite3_bind_text(s, 1, e->kind == 0 ? e->key : e->customer, -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW) {}
        sqlite3_reset(s);
    }
    if (!skipped(dstViews)) exec(dstViews, "BEGIN IMMEDIATE");
    for (int i = 0; i < stepCount; i++) {
        ViewEvent *e = &step[i];
        /* The last event of a key in the step is the one written. */
        int later = 0;
        for (int j = i + 1; j < stepCount && j < i + 64 && !later; j++)
            later = step[j].kind == e->kind && strcmp(step[j].key, e->key) == 0;
        if (later) continue;
        if (e->kind == 0) {
            sqlite3_bind_text(vRequest, 1, e->key, -1, SQLITE_STATIC);
            sqlite3_bind_text(vRequest, 2, e->type, -1, SQLITE_STATIC);
            sqlite3_bind_text(vRequest, 3, e->doc, e->docLen, SQLITE_STATIC);
            sqlite3_bind_text(vRequest, 4, e->doc, e->docLen, SQLITE_STATIC);
            run(vRequest);
        } else if (e->kind >= 2) {
            sqlite3_bind_text(vItem, 1, e->customer, -1, SQLITE_STATIC);
            sqlite3_bind_text(vItem, 2, kindName(e->kind), -1, SQLITE_STATIC);
            sqlite3_bind_text(vItem, 3, e->key, -1, SQLITE_STATIC);
            sqlite3_bind_text(vItem, 4, e->type, -1, SQLITE_STATIC);
            sqlite3_bind_text(vItem, 5, e->doc, e->docLen, SQLITE_STATIC);
            run(vItem);
        }
        if (e->kind >= 1) {
            sqlite3_bind_text(vCustomer, 1, e->customer, -1, SQLITE_STATIC);
            if (e->kind == 1) sqlite3_bind_text(vCustomer, 2, e->doc, e->docLen, SQLITE_STATIC); else sqlite3_bind_null(vCustomer, 2);
            sqlite3_bind_int64(vCustomer, 3, e->seq);
            sqlite3_bind_text(vCustomer, 4, e->occurred, -1, SQLITE_STATIC);
            run(vCustomer);
        }
    }
    for (int i = 0; i < 6; i++) {
        sqlite3_bind_text(vCount, 1, i < 3 ? "proposal" : "plan", -1, SQLITE_STATIC);
        sqlite3_bind_text(vCount, 2, i % 3 == 0 ? "ACTIVE" : i % 3 == 1 ? "QUOTED" : "SUBMITTED", -1, SQLITE_STATIC);
        sqlite3_bind_int64(vCount, 3, 1);
        run(vCount);
    }
    sqlite3_bind_int64(vCheckpoint, 1, step[stepCount - 1].seq);
    run(vCheckpoint);
    if (!skipped(dstViews)) exec(dstViews, "COMMIT");
    for (int i = 0; i < stepCount; i++) free(step[i].doc);
    stepCount = 0;
}

/* ---- the state store ---------------------------------------------------------------------- */

enum Phase { NONE, INGEST, REQUESTS, VERDICTS, WITHDRAWALS };

static enum Phase phaseOf(const char *type) {
    if (!strcmp(type, "request.accepted") || !strcmp(type, "request.rejected")) return INGEST;
    if (!strcmp(type, "payment.settled") || !strcmp(type, "payment.failed") || !strcmp(type, "payment.deferred")
        || !strcmp(type, "policy.established")) return VERDICTS;
    if (!strcmp(type, "proposal.withdrawn") || !strcmp(type, "refund.pending") || !strcmp(type, "withdrawal.completed")
        || !strcmp(type, "withdrawal.cancelled") || !strcmp(type, "withdrawal.rejected") || !strcmp(type, "proposal.cancelled"))
        return WITHDRAWALS;
    return REQUESTS;
}

/* Whether an event of `type` repeats a record that an earlier event carried whole. */
static int repeatsRecord(const char *type) {
    return strcmp(type, "customer.registered") && strcmp(type, "plan.quoted") && strcmp(type, "plan.declined")
        && strcmp(type, "proposal.submitted") && strcmp(type, "request.accepted") && strcmp(type, "withdrawal.requested")
        && strcmp(type, "request.rejected");
}

/* The store's transaction in progress: the stage it stands for, the document bundle it wrote, and
 * whether the sandbox ledger has one open beside it. */
static enum Phase phase = NONE;
static int ledgerOpen;
static char bundle[256], lastBundle[256];
static long long eventCount, commits;
static sqlite3_stmt *uCounter, *uDocuments, *uPayment, *sLedger, *iLedger, *uWithdrawal;

/* Commits the store's transaction as its stage would: the numbers handed out and the chunk's
 * document bundle marked published (requests stage), the ledger's transaction first. */
static void commitStore(void) {
    if (phase == REQUESTS) {
        const char *kinds[] = {"plan", "document", "proposal", "policy"};
        for (int k = 0; k < 4; k++) {
            text(uCounter, 1, kinds[k]);
            sqlite3_bind_int64(uCounter, 2, eventCount);
            run(uCounter);
        }
        if (bundle[0]) { text(uDocuments, 1, bundle); run(uDocuments); }
    }
    if (ledgerOpen) { if (!skipped(dstLedger)) exec(dstLedger, "COMMIT"); ledgerOpen = 0; commits++; }
    if (!skipped(dst)) exec(dst, "COMMIT");
    commits++;
}

/* A charge's or refund's verdict (`payment`: its row in the source): the payment settled and
 * the sandbox's ledger row written, in a ledger transaction beside the store's. */
static void settle(sqlite3_stmt *payment) {
    col(uPayment, 1, payment, 10); col(uPayment, 2, payment, 5); col(uPayment, 3, payment, 6);
    col(uPayment, 4, payment, 8); col(uPayment, 5, payment, 9); col(uPayment, 6, payment, 0);
    run(uPayment);
    if (find(sLedger, (const char *)sqlite3_column_text(payment, 0))) {
        if (!ledgerOpen) { if (!skipped(dstLedger)) exec(dstLedger, "BEGIN IMMEDIATE"); ledgerOpen = 1; }
        for (int i = 0; i < sqlite3_column_count(sLedger); i++) col(iLedger, i + 1, sLedger, i);
        run(iLedger);
    }
}

/* A withdrawal's new status, with its record's JSON. */
static void withdrawalTo(const char *status, const char *doc, int docLen, const char *proposalNo) {
    text(uWithdrawal, 1, status);
    sqlite3_bind_text(uWithdrawal, 2, doc, docLen, SQLITE_STATIC);
    text(uWithdrawal, 3, proposalNo);
    run(uWithdrawal);
}

/* Distinct breakdowns seen (--lean): an open-addressed set of 64-bit hashes. */
static uint64_t *seen;
static size_t seenCap = 1 << 22, seenCount;
static int firstBreakdown(const unsigned char *p, int n) {
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    if (!h) h = 1;
    if (!seen) seen = calloc(seenCap, sizeof *seen);
    for (size_t i = h & (seenCap - 1);; i = (i + 1) & (seenCap - 1)) {
        if (seen[i] == h) return 0;
        if (!seen[i]) { if (seenCount < seenCap / 2) { seen[i] = h; seenCount++; } return 1; }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: storage-floor SRC_HOME DST_DIR [--dry] [--lean]\n"); return 64; }
    snprintf(srcHome, sizeof srcHome, "%s", argv[1]);
    snprintf(dstDir, sizeof dstDir, "%s", argv[2]);
    for (int i = 3; i < argc; i++) {
        dry |= !strcmp(argv[i], "--dry");
        lean |= !strcmp(argv[i], "--lean");
        eventsOnly |= !strcmp(argv[i], "--events-only");
        skipStore |= !strcmp(argv[i], "--no-store");
        skipViews |= !strcmp(argv[i], "--no-views");
        skipFiles |= !strcmp(argv[i], "--no-files");
    }
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/ezinsurance.sqlite", srcHome); src = openSource(path);
    snprintf(path, sizeof path, "%s/views/status.sqlite", srcHome); srcViews = openSource(path);
    snprintf(path, sizeof path, "%s/pg-sandbox/ledger.sqlite", srcHome); srcLedger = openSource(path);
    snprintf(path, sizeof path, "%s/out", dstDir); mkdir(dstDir, 0700); mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/store.sqlite", dstDir); dst = openDestination(path, 32768, 1, src);
    snprintf(path, sizeof path, "%s/views.sqlite", dstDir); dstViews = openDestination(path, 8192, 0, srcViews);
    snprintf(path, sizeof path, "%s/ledger.sqlite", dstDir); dstLedger = openDestination(path, 2000, 0, srcLedger);
    /* The runs and inbox files the requests refer to. */
    snprintf(path, sizeof path, "ATTACH 'file:%s/ezinsurance.sqlite?mode=ro' AS s", srcHome);
    exec(dst, path);
    exec(dst, "INSERT INTO job_runs SELECT * FROM s.job_runs; INSERT INTO inbox_files SELECT * FROM s.inbox_files; DETACH s");

    sqlite3_stmt *events = prep(src, "SELECT seq, type, occurred_on, request_id, customer_no, plan_no, proposal_no, policy_no, payload, run_id FROM events ORDER BY seq");
    sqlite3_stmt *sRequest = prep(src, "SELECT seq, request_id, type, content_hash, body, file_id, line, received_on, state, outcome FROM requests WHERE request_id = ?");
    sqlite3_stmt *sCustomer = prep(src, "SELECT customer_no, data FROM customers WHERE customer_no = ?");
    sqlite3_stmt *sPlan = prep(src, "SELECT plan_no, request_id, customer_no, product_code, status, expires_on, data, breakdown, proposed FROM plans WHERE plan_no = ?");
    sqlite3_stmt *sDocument = prep(src, "SELECT document_no, plan_no, issued_on, file_name, customer_name FROM documents WHERE plan_no = ?");
    sqlite3_stmt *sProposal = prep(src, "SELECT proposal_no, request_id, plan_no, customer_no, product_code, instrument, holder_name, data FROM proposals WHERE proposal_no = ?");
    sqlite3_stmt *sCharge = prep(src, "SELECT idempotency_key, proposal_no, kind, amount, requested_on, settled_on, gateway_tx_id, original_tx_id, decline_code, decline_message, status FROM payments WHERE idempotency_key > 'chg-' || ?1 || '-' AND idempotency_key < 'chg-' || ?1 || '.' ORDER BY idempotency_key DESC");
    sqlite3_stmt *sRefund = prep(src, "SELECT idempotency_key, proposal_no, kind, amount, requested_on, settled_on, gateway_tx_id, original_tx_id, decline_code, decline_message, status FROM payments WHERE proposal_no = ? AND kind = 'REFUND'");
    sqlite3_stmt *sPolicy = prep(src, "SELECT policy_no, proposal_no, customer_no, established_on, delivered_on FROM policies WHERE proposal_no = ?");
    sqlite3_stmt *sWithdrawal = prep(src, "SELECT withdrawal_no, request_id, proposal_no, data FROM withdrawals WHERE request_id = ?");
    sLedger = prep(srcLedger, "SELECT * FROM transactions WHERE idempotency_key = ?");
    sqlite3_stmt *nextCharges = prep(src, "SELECT proposal_no FROM events WHERE seq >= ? AND (type = 'payment.settled' OR type = 'payment.failed') ORDER BY seq LIMIT 1000");
    sqlite3_stmt *sBatch = prep(src, "SELECT file_name, last_seq FROM alarm_batches ORDER BY batch_no");

    sqlite3_stmt *iEvent = prep(dst, "INSERT OR FAIL INTO events(seq, type, occurred_on, request_id, customer_no, plan_no, proposal_no, policy_no, payload, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *iRequest = prep(dst, "INSERT INTO requests(seq, request_id, type, content_hash, body, file_id, line, received_on, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')");
    eventInsert = iEvent;
    requestInsert = iRequest;
    sqlite3_stmt *uRequest = prep(dst, "UPDATE requests SET state = ?, outcome = ? WHERE seq = ?");
    sqlite3_stmt *iCustomer = prep(dst, "INSERT INTO customers(customer_no, data) VALUES (?, ?) ON CONFLICT(customer_no) DO UPDATE SET data = excluded.data");
    sqlite3_stmt *iPlan = prep(dst, "INSERT INTO plans(plan_no, request_id, customer_no, product_code, status, expires_on, data, breakdown, proposed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *iDocument = prep(dst, "INSERT INTO documents(document_no, plan_no, issued_on, file_name, customer_name) VALUES (?, ?, ?, ?, ?)");
    uDocuments = prep(dst, "UPDATE documents SET published = 1 WHERE file_name = ? AND published = 0");
    sqlite3_stmt *iProposal = prep(dst, "INSERT INTO proposals(proposal_no, request_id, plan_no, customer_no, product_code, status, next_attempt_on, instrument, holder_name, data) VALUES (?, ?, ?, ?, ?, 'SUBMITTED', NULL, ?, ?, ?)");
    sqlite3_stmt *uProposal = prep(dst, lean ? "UPDATE proposals SET status = ?, next_attempt_on = ? WHERE proposal_no = ? AND ?4 IS NOT NULL"
                                             : "UPDATE proposals SET status = ?, next_attempt_on = ?, data = ? WHERE proposal_no = ?");
    sqlite3_stmt *iPayment = prep(dst, "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on, original_tx_id) VALUES (?, ?, ?, ?, 'PENDING', ?, ?)");
    uPayment = prep(dst, "UPDATE payments SET status = ?, settled_on = ?, gateway_tx_id = ?, decline_code = ?, decline_message = ?, last_error = NULL WHERE idempotency_key = ? AND status = 'PENDING'");
    sqlite3_stmt *iPolicy = prep(dst, "INSERT INTO policies(policy_no, proposal_no, customer_no, established_on, delivered_on, status) VALUES (?, ?, ?, ?, ?, 'ACTIVE')");
    sqlite3_stmt *uPolicy = prep(dst, "UPDATE policies SET status = 'WITHDRAWN' WHERE proposal_no = ?");
    sqlite3_stmt *iWithdrawal = prep(dst, "INSERT INTO withdrawals(withdrawal_no, request_id, proposal_no, status, data) VALUES (?, ?, ?, 'REQUESTED', ?)");
    uWithdrawal = prep(dst, "UPDATE withdrawals SET status = ?, data = ? WHERE proposal_no = ? AND (status = 'REQUESTED' OR status = 'REFUND_PENDING' OR status = 'WITHDRAWN' OR status = 'CANCELLED')");
    sqlite3_stmt *iRecipient = prep(dst, "INSERT INTO alarm_recipients(customer_no, data) VALUES (?, ?) ON CONFLICT(customer_no) DO UPDATE SET data = excluded.data");
    sqlite3_stmt *iBatch = prep(dst, "INSERT INTO alarm_batches(file_name, first_seq, last_seq, count, content_sha256) VALUES (?, ?, ?, 0, '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')");
    sqlite3_stmt *uBatches = prep(dst, "UPDATE alarm_batches SET published = 1 WHERE published = 0");
    sqlite3_stmt *uOffset = prep(dst, "INSERT INTO consumer_offsets(consumer, last_seq) VALUES ('alarms', ?) ON CONFLICT(consumer) DO UPDATE SET last_seq = excluded.last_seq");
    uCounter = prep(dst, "INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    {
        sqlite3_stmt *cols = prep(srcLedger, "SELECT count(*) FROM pragma_table_info('transactions')");
        sqlite3_step(cols);
        int n = sqlite3_column_int(cols, 0);
        sqlite3_finalize(cols);
        char sql[400] = "INSERT INTO transactions VALUES (?";
        for (int i = 1; i < n; i++) strcat(sql, ", ?");
        strcat(sql, ")");
        iLedger = prep(dstLedger, sql);
    }
    vItemStatus = prep(dstViews, "SELECT kind, item_no, status FROM customer_items WHERE customer_no = ?");
    vRequestStatus = prep(dstViews, "SELECT status FROM requests WHERE request_id = ?");
    vProfiled = prep(dstViews, "SELECT profile IS NOT NULL FROM customers WHERE customer_no = ?");
    vItem = prep(dstViews, "INSERT INTO customer_items(customer_no, kind, item_no, status, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(customer_no, kind, item_no) DO UPDATE SET status = excluded.status, doc = excluded.doc");
    vCustomer = prep(dstViews, "INSERT INTO customers(customer_no, profile, last_event_seq, updated_on) VALUES (?, ?, ?, ?) ON CONFLICT(customer_no) DO UPDATE SET profile = coalesce(excluded.profile, profile), last_event_seq = excluded.last_event_seq, updated_on = excluded.updated_on");
    vRequest = prep(dstViews, "INSERT INTO requests(request_id, status, current, history) VALUES (?, ?, ?, ?) ON CONFLICT(request_id) DO UPDATE SET status = excluded.status, current = excluded.current, history = history || ',' || excluded.history");
    vCheckpoint = prep(dstViews, "INSERT INTO checkpoint(consumer, last_seq) VALUES ('views', ?) ON CONFLICT(consumer) DO UPDATE SET last_seq = excluded.last_seq");
    vCount = prep(dstViews, "INSERT INTO counts(entity, status, count) VALUES (?, ?, ?) ON CONFLICT(entity, status) DO UPDATE SET count = count + excluded.count");

    int units = 0;
    int64_t batchFrom = 0, batchLast = -1;
    int haveBatch = sqlite3_step(sBatch) == SQLITE_ROW;
    if (haveBatch) batchLast = sqlite3_column_int64(sBatch, 1);


    while (sqlite3_step(events) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(events, 0);
        const char *type = (const char *)sqlite3_column_text(events, 1);
        const char *occurred = (const char *)sqlite3_column_text(events, 2);
        const char *requestId = (const char *)sqlite3_column_text(events, 3);
        const char *customerNo = (const char *)sqlite3_column_text(events, 4);
        const char *planNo = (const char *)sqlite3_column_text(events, 5);
        const char *proposalNo = (const char *)sqlite3_column_text(events, 6);
        const unsigned char *payload = sqlite3_column_text(events, 8);
        int payloadLen = sqlite3_column_bytes(events, 8);
        enum Phase p = phaseOf(type);
        if (p != phase || units >= CHUNK) {
            if (phase != NONE) commitStore();
            phase = p; units = 0; bundle[0] = 0;
            if (p == VERDICTS) {
                /* The payments stage commits the chunk's charge intents before it calls the
                 * gateway, then records the verdicts in a transaction of their own. */
                if (!skipped(dst)) exec(dst, "BEGIN IMMEDIATE");
                sqlite3_reset(nextCharges);
                sqlite3_bind_int64(nextCharges, 1, seq);
                while (sqlite3_step(nextCharges) == SQLITE_ROW) {
                    if (!find(sCharge, (const char *)sqlite3_column_text(nextCharges, 0))) continue;
                    for (int i = 0; i < 5; i++) col(iPayment, i + 1, sCharge, i);
                    col(iPayment, 6, sCharge, 7);
                    run(iPayment);
                }
                if (!skipped(dst)) exec(dst, "COMMIT");
                commits++;
            }
            if (!skipped(dst)) exec(dst, "BEGIN IMMEDIATE");
        }
        eventCount++;

        /* The event itself. */
        for (int i = 0; i < 10; i++) col(iEvent, i + 1, events, i);
        if (lean && repeatsRecord(type) && payloadLen > 100) sqlite3_bind_text(iEvent, 9, (const char *)payload, 100, SQLITE_STATIC);
        run(iEvent);

        /* The records it stands for, as the stage that made it wrote them. */
        const char *inner = (const char *)payload;
        int innerLen = payloadLen;
        const char *colon = memchr(payload, ':', payloadLen > 40 ? 40 : payloadLen);
        if (colon && payloadLen > 2) { inner = colon + 1; innerLen = payloadLen - (int)(inner - (const char *)payload) - 1; }
        if (!strcmp(type, "request.accepted")) {
            if (find(sRequest, requestId)) {
                for (int i = 0; i < 8; i++) col(iRequest, i + 1, sRequest, i);
                run(iRequest);
            }
            units++;
        } else if (!strcmp(type, "request.processed") || !strcmp(type, "request.failed")) {
            if (find(sRequest, requestId)) {
                col(uRequest, 1, sRequest, 8); col(uRequest, 2, sRequest, 9); col(uRequest, 3, sRequest, 0);
                run(uRequest);
            }
            units++;
        } else if (!strcmp(type, "customer.registered")) {
            if (find(sCustomer, customerNo)) {
                col(iCustomer, 1, sCustomer, 0); col(iCustomer, 2, sCustomer, 1);
                run(iCustomer);
                col(iRecipient, 1, sCustomer, 0); col(iRecipient, 2, sCustomer, 1);
                run(iRecipient);
            }
        } else if (!strcmp(type, "plan.quoted") || !strcmp(type, "plan.declined")) {
            if (find(sPlan, planNo)) {
                for (int i = 0; i < 9; i++) col(iPlan, i + 1, sPlan, i);
                if (lean && sqlite3_column_type(sPlan, 7) != SQLITE_NULL
                    && !firstBreakdown(sqlite3_column_text(sPlan, 7), sqlite3_column_bytes(sPlan, 7)))
                    sqlite3_bind_null(iPlan, 8);
                run(iPlan);
            }
        } else if (!strcmp(type, "document.issued")) {
            if (find(sDocument, planNo)) {
                for (int i = 0; i < 5; i++) col(iDocument, i + 1, sDocument, i);
                const char *file = (const char *)sqlite3_column_text(sDocument, 3);
                if (strcmp(file, bundle)) snprintf(bundle, sizeof bundle, "%s", file);
                if (strcmp(file, lastBundle)) {
                    snprintf(lastBundle, sizeof lastBundle, "%s", file);
                    char rel[400];
                    snprintf(rel, sizeof rel, "documents/%s", file);
                    writeFile(rel, readFile(rel), 0);
                }
                run(iDocument);
            }
        } else if (!strcmp(type, "proposal.submitted")) {
            if (find(sProposal, proposalNo)) {
                for (int i = 0; i < 7; i++) col(iProposal, i + 1, sProposal, i);
                sqlite3_bind_text(iProposal, 8, inner, innerLen, SQLITE_STATIC);
                run(iProposal);
            }
        } else if (!strcmp(type, "withdrawal.requested")) {
            if (find(sWithdrawal, requestId)) {
                for (int i = 0; i < 4; i++) col(iWithdrawal, i + 1, sWithdrawal, i);
                run(iWithdrawal);
            }
        } else if (proposalNo) {
            /* Payments, policies and withdrawals: the proposal's status changes with some. The
             * requests stage inserts a proposal already PAYMENT_PENDING (its two events in one
             * transaction); a verdict updates it once (settled and established together). */
            const char *status = !strcmp(type, "policy.established") ? "ACTIVE" : !strcmp(type, "payment.failed") ? "PAYMENT_FAILED"
                : !strcmp(type, "proposal.withdrawn") ? "WITHDRAWN" : !strcmp(type, "proposal.cancelled") ? "CANCELLED" : NULL;
            if ((!strcmp(type, "payment.settled") || !strcmp(type, "payment.failed")) && find(sCharge, proposalNo)) {
                settle(sCharge);
                units++;
            } else if (!strcmp(type, "policy.established") && find(sPolicy, proposalNo)) {
                for (int i = 0; i < 5; i++) col(iPolicy, i + 1, sPolicy, i);
                run(iPolicy);
            } else if (!strcmp(type, "refund.pending") && find(sRefund, proposalNo)) {
                for (int i = 0; i < 5; i++) col(iPayment, i + 1, sRefund, i);
                col(iPayment, 6, sRefund, 7);
                run(iPayment);
                withdrawalTo("REFUND_PENDING", inner, innerLen, proposalNo);
                units++;
            } else if (!strcmp(type, "withdrawal.rejected")) {
                withdrawalTo("WITHDRAWAL_REJECTED", inner, innerLen, proposalNo);
                units++;
            } else if (!strcmp(type, "withdrawal.completed") || !strcmp(type, "withdrawal.cancelled")) {
                if (find(sRefund, proposalNo)) settle(sRefund);
                withdrawalTo(!strcmp(type, "withdrawal.completed") ? "WITHDRAWN" : "CANCELLED", inner, innerLen, proposalNo);
            }
            if (!strcmp(type, "proposal.withdrawn")) { text(uPolicy, 1, proposalNo); run(uPolicy); }
            if (status) {
                text(uProposal, 1, status);
                if (!strcmp(status, "PAYMENT_FAILED")) text(uProposal, 2, occurred); else sqlite3_bind_null(uProposal, 2);
                if (lean) { text(uProposal, 3, proposalNo); text(uProposal, 4, status); }
                else { sqlite3_bind_text(uProposal, 3, inner, innerLen, SQLITE_STATIC); text(uProposal, 4, proposalNo); }
                run(uProposal);
            }
        }

        /* The views consumer's share of this event, applied in steps of eight chunks. */
        ViewEvent *v = &step[stepCount++];
        v->seq = seq;
        snprintf(v->type, sizeof v->type, "%s", type);
        snprintf(v->occurred, sizeof v->occurred, "%s", occurred);
        snprintf(v->customer, sizeof v->customer, "%s", customerNo ? customerNo : "");
        v->kind = !strncmp(type, "request.", 8) ? 0 : !strcmp(type, "customer.registered") ? 1
            : !strncmp(type, "plan.", 5) || !strcmp(type, "document.issued") ? 2
            : !strncmp(type, "withdrawal.", 11) || !strcmp(type, "refund.pending") ? 4 : 3;
        const char *key = v->kind == 0 ? requestId : v->kind == 1 ? customerNo : v->kind == 2 ? planNo : proposalNo;
        snprintf(v->key, sizeof v->key, "%s", key ? key : "");
        v->doc = malloc(innerLen > 0 ? innerLen : 1);
        memcpy(v->doc, inner, innerLen > 0 ? innerLen : 0);
        v->docLen = innerLen > 0 ? innerLen : 0;
        if (stepCount == VIEW_STEP) applyViews();

        /* The alarm consumer's batches: its file written when the log passes the batch's last
         * event, the batch row, its recipients and its checkpoint committed in the store. */
        if (haveBatch && seq >= batchLast) {
            char rel[400];
            snprintf(rel, sizeof rel, "outbox/alarms/%s", (const char *)sqlite3_column_text(sBatch, 0));
            writeFile(rel, readFile(rel), 1);
            text(iBatch, 1, (const char *)sqlite3_column_text(sBatch, 0));
            sqlite3_bind_int64(iBatch, 2, batchFrom + 1);
            sqlite3_bind_int64(iBatch, 3, batchLast);
            run(iBatch);
            sqlite3_bind_int64(uOffset, 1, batchLast);
            run(uOffset);
            batchFrom = batchLast;
            haveBatch = sqlite3_step(sBatch) == SQLITE_ROW;
            if (haveBatch) batchLast = sqlite3_column_int64(sBatch, 1);
        }
    }
    if (phase != NONE) commitStore();
    applyViews();
    publish();
    if (!skipped(dst)) { exec(dst, "BEGIN"); run(uBatches); exec(dst, "COMMIT"); }
    exec(dst, "PRAGMA wal_checkpoint(TRUNCATE)");
    exec(dstViews, "PRAGMA wal_checkpoint(TRUNCATE)");
    exec(dstLedger, "PRAGMA wal_checkpoint(TRUNCATE)");
    printf("events %lld, store and ledger rows written %lld, store commits %lld, files %lld (%.1f MiB)%s%s%s%s%s\n", eventCount,
           skipped(dst) ? 0 : rows, skipped(dst) ? 0 : commits, filesWritten, fileBytes / 1048576.0,
           dry ? " [reading only]" : "", lean ? " [lean layout]" : eventsOnly ? " [events only]" : "", skipStore ? " [no store]" : "",
           skipViews ? " [no views]" : "", skipFiles ? " [no files]" : "");
    sqlite3_close(dst); sqlite3_close(dstViews); sqlite3_close(dstLedger);
    return 0;
}
