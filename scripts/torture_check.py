#!/usr/bin/env python3
"""Checks the invariants of SPEC section 9 on a home after the torture test."""
import argparse, filecmp, glob, json, os, sqlite3, sys

p = argparse.ArgumentParser()
p.add_argument("--home", required=True)
p.add_argument("--expected", required=True)
p.add_argument("--views-before", required=True)
p.add_argument("--views-after", required=True)
p.add_argument("--kills", type=int, required=True)
a = p.parse_args()
expected = json.load(open(a.expected))
db = sqlite3.connect(os.path.join(a.home, "ezinsurance.sqlite"))
pg = sqlite3.connect(os.path.join(a.home, "pg-sandbox", "ledger.sqlite"))
failures, checked = [], []

def check(name, ok, detail=""):
    checked.append(name)
    if not ok:
        failures.append(f"{name}: {detail}")

# 1. Every input line accounted for exactly once.
acc, dup, rej = db.execute("SELECT SUM(accepted), SUM(duplicates), SUM(rejected) FROM inbox_files").fetchone()
check("every line accounted once", acc + dup + rej == expected["lines"],
      f"{acc} accepted + {dup} duplicate + {rej} rejected != {expected['lines']} lines")
check("inbox and work folders empty",
      not [f for f in os.listdir(os.path.join(a.home, "inbox"))] and not os.listdir(os.path.join(a.home, "work")),
      f"inbox {os.listdir(os.path.join(a.home, 'inbox'))}, work {os.listdir(os.path.join(a.home, 'work'))}")
states = dict(db.execute("SELECT status, COUNT(*) FROM inbox_files GROUP BY status").fetchall())
check("every file archived", set(states) == {"DONE"} and states["DONE"] == expected["files"], str(states))
accepted_ids = db.execute("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM requests").fetchone()
check("accepted requests stored once", accepted_ids[0] == acc == accepted_ids[1], f"{accepted_ids} vs {acc}")
pending = db.execute("SELECT COUNT(*) FROM requests WHERE state = 'PENDING'").fetchone()[0]
check("no request left pending", pending == 0, f"{pending} pending")

# 2. Gateway ledger equals our payment ledger by idempotency key and amount.
ours = {k: (amt, st) for k, amt, st in db.execute("SELECT idempotency_key, amount, status FROM payments")}
theirs = {k: (amt, st.upper()) for k, amt, st in pg.execute("SELECT idempotency_key, amount, status FROM transactions")}
left = {k: v for k, v in ours.items() if v[1] != "PENDING"}
check("no payment left pending", len(left) == len(ours), f"{len(ours) - len(left)} pending")
check("gateway ledger == our ledger", left == theirs,
      f"only ours {sorted(set(left) - set(theirs))[:5]}, only theirs {sorted(set(theirs) - set(left))[:5]}, "
      f"different {[k for k in set(left) & set(theirs) if left[k] != theirs[k]][:5]}")
double = db.execute("""SELECT proposal_no FROM payments WHERE kind = 'CHARGE' AND status = 'APPROVED'
                       GROUP BY proposal_no HAVING COUNT(*) > 1""").fetchall()
check("no double charge", not double, str(double[:5]))
per_order = pg.execute("""SELECT order_id, type, COUNT(*) FROM transactions WHERE status = 'approved'
                          GROUP BY order_id, type HAVING COUNT(*) > 1""").fetchall()
check("no double charge or refund at the gateway", not per_order, str(per_order[:5]))
active_unpaid = db.execute("""SELECT proposal_no FROM proposals WHERE status = 'ACTIVE' AND proposal_no NOT IN
    (SELECT proposal_no FROM payments WHERE kind = 'CHARGE' AND status = 'APPROVED')""").fetchall()
check("every ACTIVE contract paid", not active_unpaid, str(active_unpaid[:5]))
withdrawn_unrefunded = db.execute("""SELECT proposal_no FROM proposals WHERE status = 'WITHDRAWN' AND proposal_no NOT IN
    (SELECT proposal_no FROM payments WHERE kind = 'REFUND' AND status = 'APPROVED')""").fetchall()
check("every WITHDRAWN contract refunded", not withdrawn_unrefunded, str(withdrawn_unrefunded[:5]))
stuck = db.execute("SELECT COUNT(*) FROM proposals WHERE status IN ('PAYMENT_PENDING','PAYMENT_DEFERRED','SUBMITTED','PAID')").fetchone()[0]
check("no proposal stuck before its verdict", stuck == 0, f"{stuck} stuck")

# 3. Alarm message ids unique and one per alarm-worthy event.
lines = []
for path in sorted(glob.glob(os.path.join(a.home, "outbox", "alarms", "*.jsonl"))):
    lines += [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
ids = [m["message_id"] for m in lines]
check("alarm message ids unique", len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} repeated")
templated = set()
for line in open(os.path.join(a.home, "templates", "alarms.yaml"), encoding="utf-8"):
    if line.strip().startswith("event:"):
        templated.add(line.split(":", 1)[1].strip())
marks = ",".join("?" * len(templated))
worthy = db.execute(f"SELECT seq FROM events WHERE type IN ({marks}) AND customer_no IS NOT NULL", sorted(templated)).fetchall()
check("one alarm per alarm-worthy event", sorted(m["event_seq"] for m in lines) == sorted(s for (s,) in worthy),
      f"{len(lines)} alarms for {len(worthy)} events")
unpublished = db.execute("SELECT COUNT(*) FROM alarm_batches WHERE published = 0").fetchone()[0]
check("every alarm batch published", unpublished == 0, f"{unpublished} unpublished")

# 4. Views equal a fresh rebuild (both exported as files by `views export`).
cmp = filecmp.dircmp(a.views_before, a.views_after)
def differences(c):
    out = c.left_only + c.right_only + c.diff_files + c.funny_files
    for sub in c.subdirs.values():
        out += differences(sub)
    return out
def deep_equal(x, y):
    for root, _, files in os.walk(x):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), x)
            if open(os.path.join(x, rel), "rb").read() != open(os.path.join(y, rel), "rb").read():
                return rel
    return None
exported = len(glob.glob(os.path.join(a.views_before, "customers", "*.json")))
diff = differences(cmp) or ([deep_equal(a.views_before, a.views_after)] if deep_equal(a.views_before, a.views_after) else [])
diff += [] if exported > 0 else ["no customer view exported"]
check("views == views rebuild", not diff, str(diff[:5]))

counts = dict(db.execute("SELECT status, COUNT(*) FROM proposals GROUP BY status").fetchall())
print(f"torture: survived {a.kills} kills; {expected['lines']} lines in {expected['files']} files "
      f"= {acc} accepted + {dup} duplicate + {rej} rejected; proposals {counts}; "
      f"{len(theirs)} gateway transactions; {len(lines)} alarms")
for name in checked:
    print(("FAIL  " if any(f.startswith(name + ":") for f in failures) else "ok    ") + name)
for f in failures:
    print("  " + f)
print(f"{len(checked) - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
