import GRDB

/// The sandbox gateway's own ledger database (never the main state store).
enum SandboxSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger-and-faults") { db in
            try db.execute(sql: """
                CREATE TABLE transactions (
                    transaction_id TEXT PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL UNIQUE,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    order_id TEXT NOT NULL,
                    type TEXT NOT NULL CHECK (type IN ('charge', 'cancel')),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    fee INTEGER NOT NULL CHECK (fee >= 0),
                    status TEXT NOT NULL CHECK (status IN ('approved', 'declined')),
                    decline_code TEXT,
                    decline_message TEXT,
                    instrument_masked TEXT NOT NULL,
                    business_date TEXT NOT NULL,
                    original_transaction_id TEXT REFERENCES transactions(transaction_id),
                    reason TEXT,
                    CHECK ((type = 'cancel') = (original_transaction_id IS NOT NULL)),
                    CHECK ((status = 'declined') = (decline_code IS NOT NULL))
                );
                CREATE INDEX transactions_by_business_date ON transactions(business_date);
                CREATE INDEX transactions_by_original ON transactions(original_transaction_id);
                CREATE TABLE faults (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    outage INTEGER NOT NULL DEFAULT 0 CHECK (outage IN (0, 1)),
                    latency_ms INTEGER NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
                    fail_every INTEGER NOT NULL DEFAULT 0 CHECK (fail_every >= 0),
                    timeout_after_commit INTEGER NOT NULL DEFAULT 0 CHECK (timeout_after_commit IN (0, 1)),
                    call_count INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO faults (id) VALUES (1);
                """)
        }
        migrator.registerMigration("v2-late-answers") { db in
            try db.execute(sql: """
                ALTER TABLE faults ADD COLUMN late_answer_ms INTEGER NOT NULL DEFAULT 0 CHECK (late_answer_ms >= 0)
                """)
        }
        migrator.registerMigration("v3-cancels-by-original", foreignKeyChecks: .immediate) { db in
            // Only a cancel names an original transaction: charges (nearly every row) made an
            // index entry for NULL. The refund's lookup (`original_transaction_id = ?`) reads
            // the same rows through the partial index.
            try db.execute(sql: """
                DROP INDEX transactions_by_original;
                CREATE INDEX transactions_by_original ON transactions(original_transaction_id)
                    WHERE original_transaction_id IS NOT NULL;
                """)
        }
        return migrator
    }
}
