#!/usr/bin/env python3
"""Regenerates the rate-table rows of the product catalog (data/catalog/*.yaml).

Usage (from the package root):

    python3 scripts/generate_rate_tables.py            # rewrite every data/catalog/*.yaml in place
    python3 scripts/generate_rate_tables.py --check    # exit 1 if any file is out of date
    python3 scripts/generate_rate_tables.py FILE...    # only these files

Each generated block in a catalog file looks like this:

    rows:
      # basis: base=6.0 k=0.05 pivot=30 female=1.1 ages=20-65 max_expiry=80 terms=10/10:0.75,20/20:1.0
      # BEGIN GENERATED (scripts/generate_rate_tables.py) -- edit the basis line, not the rows
      - gender: M
        ...
      # END GENERATED

The `# basis:` line is the single source of the numbers:

    rate(gender, age, term) = base * exp(k * (age - pivot)) * (female if gender == F else 1) * term_factor

rounded to 3 decimals below 10 and 2 decimals from 10 up. One row per gender (M, F) and,
when `terms=` is given, per listed term/pay with its factor (the table is `by_term: true`);
with `min_term=N` instead, one row per gender for every term (`by_term: false`).
Ages run from the first entry age to min(last entry age, max_expiry - term years), using the
shortest term with `min_term`, which is exactly what the catalog loader requires.

Mortality tables (data/mortality/*.csv) are regenerated the same way: the rows below the
`#` header of a table are written from its `# basis:` header line,

    # basis: makeham A=0.00022 B=2.7e-6 c=1.124 ages=20-130                  (unisex: age,q)
    # basis: makeham male=A/B/c female=A/B/c ages=15-110               (age,q_male,q_female)

with q(x) = 1 - exp(-A - B c^x (c - 1) / ln c) (Makeham), printed to 10 significant digits,
and q = 1 at the last age (the table's end). `c` may be written as a power, `10^0.04`.

Standard library only; the output is deterministic.
"""
import math
import pathlib
import re
import sys

BEGIN = "# BEGIN GENERATED"
END = "# END GENERATED"
BASIS = re.compile(r"^(\s*)# basis:\s*(.*)$")
PER_LINE = 10


def parse_basis(text):
    params = {}
    for part in text.split():
        key, _, value = part.partition("=")
        params[key] = value
    for key in ("base", "k", "pivot", "female", "ages", "max_expiry"):
        if key not in params:
            raise ValueError(f"basis is missing '{key}': {text}")
    lo, hi = (int(x) for x in params["ages"].split("-"))
    basis = {
        "base": float(params["base"]),
        "k": float(params["k"]),
        "pivot": int(params["pivot"]),
        "female": float(params["female"]),
        "ages": (lo, hi),
        "max_expiry": int(params["max_expiry"]),
        "terms": None,
    }
    if "terms" in params:
        terms = []
        for item in params["terms"].split(","):
            tp, _, factor = item.partition(":")
            t, p = (int(x) for x in tp.split("/"))
            terms.append((t, p, float(factor)))
        basis["terms"] = terms
    elif "min_term" in params:
        basis["min_term"] = int(params["min_term"])
    else:
        raise ValueError(f"basis needs terms=... or min_term=...: {text}")
    return basis


def fmt(rate):
    return f"{rate:.3f}" if rate < 10 else f"{rate:.2f}"


def row_lines(indent, gender, term, age_from, rates):
    pad = " " * indent
    lines = [f"{pad}- gender: {gender}"]
    if term is not None:
        lines.append(f"{pad}  term_years: {term[0]}")
        lines.append(f"{pad}  pay_years: {term[1]}")
    lines.append(f"{pad}  age_from: {age_from}    # ages {age_from}..{age_from + len(rates) - 1}")
    chunks = [", ".join(fmt(r) for r in rates[i:i + PER_LINE]) for i in range(0, len(rates), PER_LINE)]
    head = f"{pad}  rates: ["
    cont = " " * len(head)
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        lines.append((head if i == 0 else cont) + chunk + ("]" if last else ","))
    return lines


def generate(indent, basis):
    lo, hi = basis["ages"]
    out = []
    if basis["terms"] is not None:
        keys = [((t, p), f) for t, p, f in basis["terms"]]
    else:
        keys = [(None, 1.0)]
    for gender in ("M", "F"):
        gfac = basis["female"] if gender == "F" else 1.0
        for term, tfac in keys:
            years = term[0] if term is not None else basis["min_term"]
            top = min(hi, basis["max_expiry"] - years)
            if top < lo:
                continue
            rates = []
            for age in range(lo, top + 1):
                raw = basis["base"] * math.exp(basis["k"] * (age - basis["pivot"])) * gfac * tfac
                rates.append(float(fmt(raw)))
            out += row_lines(indent, gender, term, lo, rates)
    return out


def refresh(text):
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        m = BASIS.match(line)
        if m and i + 1 < len(lines) and lines[i + 1].strip().startswith(BEGIN):
            indent = len(m.group(1))
            basis = parse_basis(m.group(2))
            out.append(lines[i + 1])
            j = i + 2
            while j < len(lines) and not lines[j].strip().startswith(END):
                j += 1
            if j == len(lines):
                raise ValueError(f"line {i + 2}: {BEGIN} without {END}")
            out += generate(indent, basis)
            out.append(lines[j])
            i = j + 1
            continue
        i += 1
    return "\n".join(out)


def number(text):
    if "^" in text:
        base, _, exp = text.partition("^")
        return float(base) ** float(exp)
    return float(text)


def makeham_q(a, b, c, age):
    return 1 - math.exp(-a - b * c ** age * (c - 1) / math.log(c))


def refresh_mortality(text):
    header = [line for line in text.split("\n") if line.startswith("#")]
    basis = [line for line in header if line.startswith("# basis:")]
    if len(basis) != 1:
        raise ValueError("a mortality table needs exactly one '# basis:' header line")
    params = dict(part.partition("=")[::2] for part in basis[0][len("# basis:"):].split()[1:])
    lo, hi = (int(x) for x in params["ages"].split("-"))
    if "male" in params:
        laws = [tuple(number(x) for x in params[g].split("/")) for g in ("male", "female")]
        columns = "age,q_male,q_female"
    else:
        laws = [(number(params["A"]), number(params["B"]), number(params["c"]))]
        columns = "age,q"
    rows = [columns]
    for age in range(lo, hi + 1):
        qs = [1.0 if age == hi else makeham_q(a, b, c, age) for a, b, c in laws]
        rows.append(",".join([str(age)] + [f"{q:.10g}" for q in qs]))
    return "\n".join(header + rows) + "\n"


def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    root = pathlib.Path(__file__).resolve().parent.parent
    files = [pathlib.Path(p) for p in paths] or (sorted((root / "data" / "catalog").glob("*.yaml"))
                                                  + sorted((root / "data" / "mortality").glob("*.csv")))
    stale = []
    for path in files:
        old = path.read_text(encoding="utf-8")
        new = refresh_mortality(old) if path.suffix == ".csv" else refresh(old)
        if new != old:
            stale.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        print(("out of date: " if check else "rewrote ") + str(path))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
