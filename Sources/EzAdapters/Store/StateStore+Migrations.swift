import GRDB

extension StateStore {
    /// The schema, one migration per shipped change. Never edit a shipped migration: add one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-core", migrate: createCoreSchema)
        m.registerMigration("v2-schedules-leases") { db in
            try db.execute(sql: """
            CREATE TABLE job_schedule (
                job TEXT PRIMARY KEY,
                last_slot INTEGER NOT NULL,
                last_slot_text TEXT NOT NULL,
                last_outcome TEXT NOT NULL
            );
            CREATE TABLE job_leases (
                job TEXT PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES job_runs(run_id),
                owner_pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                started_at TEXT NOT NULL
            );
            """)
        }
        m.registerMigration("v3-duplicate-files") { db in
            try db.execute(sql: """
            CREATE TABLE inbox_duplicate_files (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                duplicate_of INTEGER NOT NULL REFERENCES inbox_files(file_id),
                run_id INTEGER NOT NULL REFERENCES job_runs(run_id),
                received_on TEXT NOT NULL
            );
            CREATE INDEX inbox_files_sha ON inbox_files(sha256);
            """)
        }
        m.registerMigration("v4-payment-backoff") { db in
            try db.execute(sql: """
            ALTER TABLE payments ADD COLUMN deferrals INTEGER NOT NULL DEFAULT 0 CHECK (deferrals >= 0);
            ALTER TABLE payments ADD COLUMN next_attempt_at TEXT;
            """)
        }
        m.registerMigration("v5-history-indexes") { db in
            // Work queries must not scan the history: found by the 100k benchmark, where
            // publishing an alarm batch scanned the whole outbox.
            try db.execute(sql: """
            CREATE INDEX alarm_outbox_batch ON alarm_outbox(batch_no, event_seq);
            CREATE INDEX alarm_batches_unpublished ON alarm_batches(batch_no) WHERE published = 0;
            CREATE INDEX withdrawals_open ON withdrawals(withdrawal_no) WHERE status IN ('REQUESTED','REFUND_PENDING');
            CREATE INDEX proposals_payable_no ON proposals(proposal_no)
                WHERE status IN ('PAYMENT_PENDING','PAYMENT_DEFERRED','PAYMENT_FAILED');
            ALTER TABLE plans ADD COLUMN proposed INTEGER NOT NULL DEFAULT 0 CHECK (proposed IN (0,1));
            UPDATE plans SET proposed = 1 WHERE plan_no IN (SELECT plan_no FROM proposals);
            CREATE INDEX plans_expirable ON plans(expires_on, plan_no) WHERE status = 'QUOTED' AND proposed = 0;
            """)
        }
        m.registerMigration("v6-document-bundles") { db in
            // Documents are written as bundle files (one per requests chunk and business date):
            // the documents stage reads the unpublished documents of one bundle at a time.
            try db.execute(sql: """
            CREATE INDEX documents_bundle_unpublished ON documents(file_name, document_no) WHERE published = 0;
            """)
        }
        m.registerMigration("v7-alarm-batch-content") { db in
            // A batch keeps its file's bytes in one row until it is published (then they are
            // dropped), instead of one indexed row per message kept for ever. Batches cover
            // disjoint event ranges; the unique start says so in the schema.
            try db.execute(sql: """
            ALTER TABLE alarm_batches ADD COLUMN content TEXT;
            CREATE UNIQUE INDEX alarm_batches_first_seq ON alarm_batches(first_seq);
            """)
        }
        m.registerMigration("v8-payable-due-index") { db in
            // The payments stage walks the payable proposals in number order and keeps those
            // due on the business date. With the due date in the index, a proposal declined
            // today (retried tomorrow) is skipped in the index instead of read from the table:
            // a no-op rerun at 1M read 36k table pages for them (13 s on a cold cache).
            try db.execute(sql: """
            DROP INDEX proposals_payable_no;
            CREATE INDEX proposals_payable_due ON proposals(proposal_no, next_attempt_on)
                WHERE status IN ('PAYMENT_PENDING','PAYMENT_DEFERRED','PAYMENT_FAILED');
            """)
        }
        // From v9 on, a migration that touches no foreign key runs with the checks on
        // (`.immediate`) instead of GRDB's default, which ends with `PRAGMA foreign_key_check`
        // over the whole store: minutes on a store with a million contracts (6 min for the
        // one-row v13 on the 1M benchmark home). v9-v11 only drop and create indexes; they
        // shipped with the default and were switched later: the check mode is not part of
        // what a migration does to the schema, and GRDB records only the identifier.
        m.registerMigration("v9-payable-by-due-date", foreignKeyChecks: .immediate) { db in
            // The payable walk takes the proposals due on the business date first, by due date
            // and number: proposals due on a later day are not even read from the index (a
            // no-op rerun at 1M read 373 index pages for the 37k declined proposals due
            // tomorrow, 2.5 s on a cold cache). This index replaces both earlier ones.
            try db.execute(sql: """
            DROP INDEX proposals_payable_due;
            DROP INDEX proposals_payable;
            CREATE INDEX proposals_payable_by_due ON proposals(next_attempt_on, proposal_no)
                WHERE status IN ('PAYMENT_PENDING','PAYMENT_DEFERRED','PAYMENT_FAILED');
            """)
        }
        m.registerMigration("v10-deferred-index", foreignKeyChecks: .immediate) { db in
            // `health` counts the deferred proposals older than a few days: without an index
            // of them it scanned every proposal (70 s at 1M on a cold cache).
            try db.execute(sql: """
            CREATE INDEX proposals_deferred ON proposals(proposal_no) WHERE status = 'PAYMENT_DEFERRED';
            """)
        }
        m.registerMigration("v11-events-by-day", foreignKeyChecks: .immediate) { db in
            // The nightly report counts and sums one business date's events by type (a dozen
            // queries): without an index each of them read the whole event log (8 million
            // events, about 5 GB at 1M). During a run the date is fixed, so new entries go to
            // the end of one range per event type.
            try db.execute(sql: """
            CREATE INDEX events_day_type ON events(occurred_on, type);
            """)
        }
        m.registerMigration("v12-document-customer-name", foreignKeyChecks: .immediate) { db in
            // The insured's name as the document was issued: the requests stage writes a
            // chunk's bundle from memory, and a bundle written again from the store (after a
            // crash) must show the same name even if the customer changed it since. Rows of
            // older versions have none; their documents show the current name, as they did.
            try db.execute(sql: "ALTER TABLE documents ADD COLUMN customer_name TEXT")
        }
        m.registerMigration("v13-offsets-by-consumer", foreignKeyChecks: .immediate) { db in
            // The consumers' checkpoints in the order of their names, not of their first
            // commit: the follower commits the views and alarms consumers in whichever order
            // their first whole chunk is ready, so two homes given the same inputs stored the
            // same rows in a different order.
            try db.execute(sql: """
            CREATE TABLE consumer_offsets_by_name (consumer TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO consumer_offsets_by_name SELECT consumer, last_seq FROM consumer_offsets;
            DROP TABLE consumer_offsets;
            ALTER TABLE consumer_offsets_by_name RENAME TO consumer_offsets;
            """)
        }
        m.registerMigration("v14-views-own-database", foreignKeyChecks: .immediate) { db in
            // The status views moved to their own database (`views/status.sqlite`, with their
            // checkpoint), which the first run builds again from the event log. Dropping a
            // table moves its pages to the free list: quick, and the file keeps its size.
            try db.execute(sql: """
            DROP TABLE view_customers;
            DROP TABLE view_requests;
            DROP TABLE view_counts;
            DROP TABLE view_state;
            DELETE FROM consumer_offsets WHERE consumer = 'views';
            """)
        }
        m.registerMigration("v15-alarm-batch-hash", foreignKeyChecks: .immediate) { db in
            // A batch's file is written under its temporary name before the batch commits; the
            // row keeps the bytes' SHA-256 instead of the bytes (2.6 KB a request through the
            // WAL). Batches closed before keep their bytes until published.
            try db.execute(sql: "ALTER TABLE alarm_batches ADD COLUMN content_sha256 TEXT")
        }
        m.registerMigration("v16-status-lists-as-comparisons", foreignKeyChecks: .immediate) { db in
            // Lists of three or more statuses in CHECK constraints and partial indexes made
            // SQLite build a temporary B-tree on every INSERT and UPDATE of the table (see
            // `ConstantLists`): the same conditions, written as comparisons. The two partial
            // indexes are built again (at 1M, a scan of the proposals and of the withdrawals);
            // the constraints are rewritten in place.
            try db.execute(sql: """
            DROP INDEX proposals_payable_by_due;
            CREATE INDEX proposals_payable_by_due ON proposals(next_attempt_on, proposal_no)
                WHERE (status = 'PAYMENT_PENDING' OR status = 'PAYMENT_DEFERRED' OR status = 'PAYMENT_FAILED');
            DROP INDEX withdrawals_one_open;
            CREATE UNIQUE INDEX withdrawals_one_open ON withdrawals(proposal_no)
                WHERE (status = 'REQUESTED' OR status = 'REFUND_PENDING' OR status = 'WITHDRAWN' OR status = 'CANCELLED');
            """)
            try ConstantLists.rewriteTableChecks(db)
        }
        m.registerMigration("v17-pending-payments-by-proposal", foreignKeyChecks: .immediate) { db in
            // The pending payments were indexed by their status only, so looking up a
            // proposal's pending charge (each withdrawal decision) read every pending payment:
            // nothing on a normal night, but after a gateway outage hundreds of thousands, 8.5
            // ms a lookup with 80,000 of them. The same rows, indexed by proposal (at 1M, a scan
            // of the payments).
            try db.execute(sql: """
            DROP INDEX payments_pending;
            CREATE INDEX payments_pending_by_proposal ON payments(proposal_no) WHERE status = 'PENDING';
            """)
        }
        m.registerMigration("v18-plans-quoted-index-dropped", foreignKeyChecks: .immediate) { db in
            // Every quoted plan, proposed or not, was indexed by its expiry date (v1), which no
            // query needs since v5's index of the plans that can expire (quoted, never proposed):
            // one index entry more per quote, and the count of plans to expire (`run
            // --dry-run`) walked every quoted plan before the date through it (at 1M a month
            // later, 840,000 rows read to count 40,000) instead of counting that index's.
            try db.execute(sql: "DROP INDEX plans_quoted")
        }
        m.registerMigration("v19-summary-events-index", foreignKeyChecks: .immediate) { db in
            // The nightly summary counts and sums ten event types of a date; v11 indexed every
            // event by date and type, nine entries per enrollment of which the summary reads
            // two (plan.quoted, policy.established). Only the summary's types are indexed now
            // (the same condition is a term of each summary query: `summaryEvents`). The
            // oldest unpublished document file is found through the bundle index, so the
            // index of unpublished documents by number (an entry made and removed for every
            // document) goes. At 1M, a scan of the event log builds the new index.
            try db.execute(sql: """
            DROP INDEX events_day_type;
            CREATE INDEX events_summary ON events(occurred_on, type)
                WHERE (type = 'request.failed' OR type = 'plan.quoted' OR type = 'plan.declined'
                    OR type = 'payment.failed' OR type = 'payment.deferred' OR type = 'policy.established'
                    OR type = 'withdrawal.requested' OR type = 'withdrawal.completed'
                    OR type = 'withdrawal.cancelled' OR type = 'withdrawal.rejected');
            DROP INDEX documents_unpublished;
            """)
        }
        return m
    }

    private static func createCoreSchema(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE job_runs (
            run_id INTEGER PRIMARY KEY,
            job TEXT NOT NULL,
            as_of TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('RUNNING','SUCCEEDED','DEFERRED','FAILED')),
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            summary TEXT,
            message TEXT
        );
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

        CREATE TABLE inbox_files (
            file_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            run_id INTEGER NOT NULL REFERENCES job_runs(run_id),
            received_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('CLAIMED','DONE','UNREADABLE')),
            work_path TEXT NOT NULL,
            lines_done INTEGER NOT NULL DEFAULT 0,
            accepted INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            final_path TEXT,
            error TEXT
        );
        CREATE TABLE requests (
            seq INTEGER PRIMARY KEY,
            request_id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            body TEXT NOT NULL,
            file_id INTEGER NOT NULL REFERENCES inbox_files(file_id),
            line INTEGER NOT NULL,
            received_on TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('PENDING','PROCESSED','FAILED')),
            outcome TEXT
        );
        CREATE INDEX requests_pending ON requests(state) WHERE state = 'PENDING';
        CREATE TABLE intake_rejections (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES inbox_files(file_id),
            line INTEGER NOT NULL,
            request_id TEXT,
            errors TEXT NOT NULL,
            UNIQUE (file_id, line)
        );

        CREATE TABLE customers (
            customer_no TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );
        CREATE TABLE plans (
            plan_no TEXT PRIMARY KEY,
            request_id TEXT NOT NULL UNIQUE,
            customer_no TEXT NOT NULL REFERENCES customers(customer_no),
            product_code TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('QUOTED','DECLINED','EXPIRED')),
            expires_on TEXT NOT NULL,
            data TEXT NOT NULL,
            breakdown TEXT
        );
        CREATE INDEX plans_quoted ON plans(expires_on) WHERE status = 'QUOTED';
        CREATE TABLE documents (
            document_no TEXT PRIMARY KEY,
            plan_no TEXT NOT NULL UNIQUE REFERENCES plans(plan_no),
            issued_on TEXT NOT NULL,
            file_name TEXT NOT NULL,
            published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0,1))
        );
        CREATE INDEX documents_unpublished ON documents(document_no) WHERE published = 0;
        CREATE TABLE proposals (
            proposal_no TEXT PRIMARY KEY,
            request_id TEXT NOT NULL UNIQUE,
            plan_no TEXT NOT NULL UNIQUE REFERENCES plans(plan_no),
            customer_no TEXT NOT NULL REFERENCES customers(customer_no),
            product_code TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('SUBMITTED','PAYMENT_PENDING','PAYMENT_DEFERRED',
                'PAYMENT_FAILED','PAID','ACTIVE','NOT_CONCLUDED','CANCELLED','WITHDRAWN')),
            next_attempt_on TEXT,
            instrument TEXT NOT NULL,
            holder_name TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX proposals_payable ON proposals(next_attempt_on)
            WHERE status IN ('PAYMENT_PENDING','PAYMENT_DEFERRED','PAYMENT_FAILED');
        CREATE INDEX proposals_customer ON proposals(customer_no, product_code);
        CREATE TABLE payments (
            payment_id INTEGER PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            proposal_no TEXT NOT NULL REFERENCES proposals(proposal_no),
            kind TEXT NOT NULL CHECK (kind IN ('CHARGE','REFUND')),
            amount INTEGER NOT NULL CHECK (amount > 0),
            status TEXT NOT NULL CHECK (status IN ('PENDING','APPROVED','DECLINED')),
            requested_on TEXT NOT NULL,
            settled_on TEXT,
            gateway_tx_id TEXT,
            original_tx_id TEXT,
            decline_code TEXT,
            decline_message TEXT,
            last_error TEXT,
            CHECK (status = 'PENDING' OR settled_on IS NOT NULL)
        );
        CREATE UNIQUE INDEX payments_one_approved_charge ON payments(proposal_no)
            WHERE kind = 'CHARGE' AND status = 'APPROVED';
        CREATE UNIQUE INDEX payments_one_refund ON payments(proposal_no) WHERE kind = 'REFUND';
        CREATE INDEX payments_pending ON payments(status) WHERE status = 'PENDING';
        CREATE TABLE policies (
            policy_no TEXT PRIMARY KEY,
            proposal_no TEXT NOT NULL UNIQUE REFERENCES proposals(proposal_no),
            customer_no TEXT NOT NULL,
            established_on TEXT NOT NULL,
            delivered_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ACTIVE','WITHDRAWN'))
        );
        CREATE TABLE withdrawals (
            withdrawal_no TEXT PRIMARY KEY,
            request_id TEXT NOT NULL UNIQUE,
            proposal_no TEXT NOT NULL REFERENCES proposals(proposal_no),
            status TEXT NOT NULL CHECK (status IN ('REQUESTED','REFUND_PENDING','WITHDRAWN',
                'CANCELLED','WITHDRAWAL_REJECTED')),
            data TEXT NOT NULL
        );
        CREATE UNIQUE INDEX withdrawals_one_open ON withdrawals(proposal_no)
            WHERE status IN ('REQUESTED','REFUND_PENDING','WITHDRAWN','CANCELLED');

        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            occurred_on TEXT NOT NULL,
            request_id TEXT,
            customer_no TEXT,
            plan_no TEXT,
            proposal_no TEXT,
            policy_no TEXT,
            payload TEXT NOT NULL,
            run_id INTEGER
        );
        CREATE TABLE consumer_offsets (consumer TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);

        CREATE TABLE alarm_recipients (customer_no TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE alarm_outbox (
            message_id TEXT PRIMARY KEY,
            event_seq INTEGER NOT NULL UNIQUE,
            batch_no INTEGER NOT NULL REFERENCES alarm_batches(batch_no),
            line TEXT NOT NULL
        );
        CREATE TABLE alarm_batches (
            batch_no INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL UNIQUE,
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            count INTEGER NOT NULL,
            published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0,1))
        );

        CREATE TABLE view_customers (
            customer_no TEXT PRIMARY KEY,
            doc TEXT NOT NULL,
            dirty INTEGER NOT NULL DEFAULT 1 CHECK (dirty IN (0,1))
        );
        CREATE INDEX view_customers_dirty ON view_customers(customer_no) WHERE dirty = 1;
        CREATE TABLE view_requests (request_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
        CREATE TABLE view_counts (
            entity TEXT NOT NULL,
            status TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (entity, status)
        );
        CREATE TABLE view_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """)
    }
}
