#!/usr/bin/env python3
"""Generates a torture-test inbox: enrollments, declines, withdrawals, duplicates, conflicts
and bad lines, spread over several JSON Lines files. Prints what the checker needs (JSON)."""
import argparse, json, os, random

p = argparse.ArgumentParser()
p.add_argument("--requests", type=int, required=True)
p.add_argument("--seed", type=int, default=42)
p.add_argument("--out", required=True)
p.add_argument("--day", required=True)
p.add_argument("--files", type=int, default=5)
a = p.parse_args()
rnd = random.Random(a.seed)
names = ["김민준", "이서연", "박지훈", "최유나", "정하준", "강도윤", "윤서아", "한지민", "오세훈", "임수빈"]
files = [[] for _ in range(a.files)]
applied = []
total = 0
for i in range(a.requests):
    f = files[i * len(files) // a.requests]
    r = rnd.random()
    rid = f"TRT-{i:07d}"
    if r < 0.04:
        f.append('{"request_id":"%s","type":"plan.quote", broken' % rid)
    elif r < 0.06:
        f.append(json.dumps({"request_id": rid, "type": "customer.register",
                             "customer": {"customer_no": f"C8{i:07d}", "name": "오류", "birth_date": "1990-02-30",
                                          "gender": "M", "phone": "010-1234-5678"}}, ensure_ascii=False))
    elif r < 0.09 and applied:
        f.append(rnd.choice(applied)[1])                       # duplicate line
    elif r < 0.11 and applied:
        rid0, line = rnd.choice(applied)                       # conflict: same id, other content
        f.append(line.replace('"sum_insured": 2000000', '"sum_insured": 2500000').replace('"sum_insured": 3000000', '"sum_insured": 3500000'))
    elif r < 0.17 and applied:
        rid0, _ = rnd.choice(applied)
        f.append(json.dumps({"request_id": rid, "type": "proposal.withdraw", "proposal_request_id": rid0,
                             "requested_on": a.day, "reason": "torture"}, ensure_ascii=False))
    else:
        year = rnd.randint(1962, 2005)
        token = "tok_decline_%04d" % i if rnd.random() < 0.1 else "tok_visa_%04d" % i
        payment = ({"method": "account", "bank_code": "088", "account_no": "1101234%05d" % i, "holder_name": "예금주"}
                   if rnd.random() < 0.05 else {"method": "card", "card_token": token, "holder_name": "카드주"})
        line = json.dumps({"request_id": rid, "type": "enrollment.apply",
                           "customer": {"customer_no": f"C7{i:07d}", "name": rnd.choice(names),
                                        "birth_date": f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                                        "gender": rnd.choice("MF"), "phone": f"010-{rnd.randint(1000, 9999)}-{rnd.randint(1000, 9999)}"},
                           "product_code": "P00000001", "sum_insured": rnd.choice([2000000, 3000000]),
                           "term_years": 10, "pay_years": 10, "payment": payment}, ensure_ascii=False)
        f.append(line)
        applied.append((rid, line))
for n, lines in enumerate(files):
    tmp = os.path.join(a.out, f".batch-{n:03d}.jsonl.part")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    os.rename(tmp, os.path.join(a.out, f"batch-{n:03d}.jsonl"))
    total += len(lines)
print(json.dumps({"lines": total, "files": len(files)}))
