#!/usr/bin/env python3
"""bench/report.py META DIR REPORT — the table and the targets of bench/run.

Reads the per-case files bench/run wrote into DIR (one TSV per case: '# key<TAB>value' lines, then one line per
run: role wall user sys maxrss_kib busy_s rc), prints the tables to standard output and writes them, with the
machine and each target of issue 7, to REPORT (markdown). Only the standard library.
"""
import glob
import os
import statistics
import sys

meta_path, res_dir, report_path = sys.argv[1:4]
meta = {}
for line in open(meta_path):
    k, _, v = line.rstrip("\n").partition("\t")
    meta[k] = v
SET = os.path.dirname(meta["sizes"])
NOISY = 0.5  # cores used by other processes during a case above which it is flagged


def load_case(cid):
    path = os.path.join(res_dir, cid.replace("/", "~") + ".tsv")
    if not os.path.exists(path):
        return None
    case = {"id": cid, "runs": {}, "h": {}}
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# "):
            k, _, v = line[2:].partition("\t")
            case["h"][k] = v
        elif line:
            role, wall, user, sys_, rss, busy, rc = line.split()
            case["runs"].setdefault(role, []).append(
                dict(wall=float(wall), cpu=float(user) + float(sys_), rss=int(rss), busy=float(busy), rc=int(rc)))
    for role, runs in case["runs"].items():
        ok = [r for r in runs if r["rc"] == 0]
        walls = [r["wall"] for r in ok]
        case[role] = dict(
            n=len(ok), failed=len(runs) - len(ok),
            med=statistics.median(walls) if walls else None,
            lo=min(walls) if walls else None, hi=max(walls) if walls else None,
            cpu=statistics.median([r["cpu"] for r in ok]) if ok else None,
            rss=max(r["rss"] for r in runs) / 1024.0)
    allruns = [r for runs in case["runs"].values() for r in runs]
    case["others"] = float(case["h"].get("others") or 0.0)
    return case


cases = {}
for cid in meta["cases"].split():
    c = load_case(cid)
    if c is not None and "A" in c:
        cases[cid] = c


def fmt_t(s):
    if s is None:
        return "—"
    if s < 1:
        return "%.1f ms" % (s * 1000)
    return "%.2f s" % s


def fmt_cell(st):
    if st is None or st["med"] is None:
        return "failed" if st else "—"
    if st["n"] == 1:
        return fmt_t(st["med"])
    return "%s (%s–%s)" % (fmt_t(st["med"]), fmt_t(st["lo"]).replace(" ms", "").replace(" s", ""), fmt_t(st["hi"]))


def ratio(a, b):
    if not a or not b or a.get("med") is None or b.get("med") is None or b["med"] == 0:
        return None
    return a["med"] / b["med"]


def fmt_r(r):
    return "—" if r is None else "%.2f" % r


def mib(x):
    return "—" if x is None else "%.0f" % x


def fmt_bytes(n):
    if n in (None, ""):
        return "—"
    n = int(n)
    if n >= 1e9:
        return "%.2f GB" % (n / 1e9)
    if n >= 1e6:
        return "%.1f MB" % (n / 1e6)
    return "%.0f kB" % (n / 1e3)


def check(r, target):
    if r is None or not target:
        return ""
    op, val = target[:2], float(target[2:])
    ok = r <= val if op == "<=" else r >= val
    return "met" if ok else "**missed**"


def flag(c):
    return " †" if c["others"] > NOISY else ""


out = []
P = out.append
P("# pgdumpkit benchmark results (issue 7)")
P("")
P("Made by `bench/run` on %s at pgdumpkit %s." % (meta["date"], meta["commit"]))
P("")
P("- Machine: %s." % meta["machine"])
P("- Tools: %s." % meta["tools"])
loads = [c["h"].get("load", "").split() for c in cases.values()]
load1 = [float(x[0]) for x in loads if x]
if load1:
    P("- Load average (1 min) at the start of the cases: median %.1f, max %.1f on %s cores (the "
      "benchmark's own previous runs count in it). † marks a case during which other processes used more than %.1f "
      "core on average (from /proc/stat minus the benchmark's own CPU time): its times are noisier." % (
          statistics.median(load1), max(load1), meta["machine"].split()[0], NOISY))
P("- Runs: %s per case (alternating A, B, C, then C, B, A, ...; cases under 0.5 s run 4× as often, at least 20); "
  "page cache warm; time is wall-clock median (min–max); CPU is user+sys median; peak RSS is the maximum "
  "over the runs (/usr/bin/time %%M). Measuring took %s s." % (meta["runs"], meta["elapsed"]))
dates = sorted(set(c["h"].get("date", "")[:16] for c in cases.values()))
commits = sorted(set(c["h"].get("commit", "") for c in cases.values()))
if len(commits) > 1 or meta.get("only"):
    P("- Cases measured between %s and %s, pgdumpkit %s (a `--only` run replaces the figures of the cases it "
      "matches)." % (dates[0], dates[-1], ", ".join(commits)))
P("")
if os.path.exists(meta["sizes"]):
    P("## Data set (`bench/dataset.sh`)")
    P("")
    P("pg_dump 17 of a PostgreSQL 15 database: pgbench -i -s 100 (10 M rows of pgbench_accounts), `prose` (~300 MB "
      "of generated text with tabs, newlines, quotes and backslashes, ~3:1 with gzip), 400 small tables with "
      "indexes and comments and 100 views. `copydata.sql` is `pg_restore -a` of the archive: every table's COPY "
      "data as one stream, the input of the codec tools.")
    P("")
    P("```")
    P(open(meta["sizes"]).read().rstrip())
    P("```")
    P("")


def table_vs_restore(group, title, intro, extra=None):
    rows = [c for c in cases.values() if c["h"]["group"] == group]
    if not rows:
        return
    P("## " + title)
    P("")
    if intro:
        P(intro)
        P("")
    head = ["case", "pgdumpkit", rows[0]["h"].get("bl") or "pg_restore 17", "ratio", "pg_restore 18", "ratio 18",
            "peak RSS MiB (pgdk / 17)", "CPU pgdk"]
    if extra == "limit":
        head += ["× limit"]
    if group == "sql":
        head += ["same bytes"]
    if extra == "bytes":
        head += ["bytes read (pgdk / 17)"]
    head += ["target", ""]
    P("| " + " | ".join(head) + " |")
    P("|" + "---|" * len(head))
    for c in rows:
        a, b, cc = c.get("A"), c.get("B"), c.get("C")
        r, r18 = ratio(a, b), ratio(a, cc)
        t = c["h"].get("target", "")
        cells = ["`%s`%s" % (c["id"], flag(c)), fmt_cell(a), fmt_cell(b), fmt_r(r), fmt_cell(cc) if cc else "—",
                 fmt_r(r18), "%s / %s" % (mib(a["rss"]), mib(b["rss"]) if b else "—"), fmt_t(a["cpu"])]
        if extra == "limit":
            lim = cases.get(c["h"].get("lim", ""))
            cells.append(fmt_r(ratio(a, lim["A"])) if lim else "—")
        if group == "sql":
            cells.append(c["h"].get("same", "—"))
        if extra == "bytes":
            cells.append("%s / %s" % (fmt_bytes(c["h"].get("bytesA")), fmt_bytes(c["h"].get("bytesB"))))
        t18 = c["h"].get("target18", "")
        if t18:
            cells += ["≤ %s× 18" % t18[2:], check(r18, t18)]
        else:
            cells += [("≤ %s×" % t[2:]) if t else "", check(r, t)]
        P("| " + " | ".join(cells) + " |")
    P("")


table_vs_restore("list", "list (`pgdumpkit list` vs `pg_restore -l`)", None, "bytes")
table_vs_restore("sql", "sql, full script",
                 "`pgdumpkit sql --restrict-key=K ARCHIVE > /dev/null` vs `pg_restore -f /dev/null --restrict-key=K "
                 "ARCHIVE`: the script goes to /dev/null either way. × limit: pgdumpkit's time over "
                 "the fastest decompression of the same data (igzip -dc for gzip, zstd -dc, lz4 -dc; cat for "
                 "uncompressed archives).", "limit")
table_vs_restore("sql-s", "sql -s (schema only)", None)
table_vs_restore("sql-t", "sql -t (one table)",
                 "small_200 is one of the 400 small tables (25 rows); pgbench_accounts (10 M rows) comes first in "
                 "the archives' data, prose second. Bytes read: what read/pread returned (strace), shared "
                 "libraries included.", "bytes")
table_vs_restore("extract", "extract (`pgdumpkit extract --format copy -t T > /dev/null` vs `pg_restore -a -t T -f /dev/null`)",
                 None, "bytes")
table_vs_restore("extract-csv", "extract csv (`pgdumpkit extract --format csv -t T > /dev/null` vs `pg_restore -a -t T -f /dev/null`)",
                 None)
table_vs_restore("verify", "verify (vs `pg_restore -f /dev/null`, the read-everything yardstick)", None, "limit")

rows = [c for c in cases.values() if c["h"]["group"] == "convert"]
if rows:
    P("## convert")
    P("")
    P("pgdumpkit converts the archive (output on %s, tmpfs, so no disk speed or fsync is timed); the baseline is "
      "the plain codec tool on the same data: `copydata.sql` (%s, every table's COPY data as one stream) "
      "compressed, or its `.gz`/`.zst` decompressed (and recompressed, in a pipeline: the two tools run at once on "
      "the two cores, so the pipeline's time is about the slower one's). Size: pgdumpkit's output over the "
      "tool's." % (meta["out"], fmt_bytes(os.path.getsize(os.path.join(SET, "copydata.sql")))
                   if os.path.exists(os.path.join(SET, "copydata.sql")) else "?"))
    P("")
    head = ["case", "pgdumpkit", "tool", "tool time", "ratio", "output pgdk / tool", "size ratio", "CPU pgdk / tool",
            "peak RSS MiB", "target", ""]
    P("| " + " | ".join(head) + " |")
    P("|" + "---|" * len(head))
    for c in rows:
        a, b = c.get("A"), c.get("B")
        r = ratio(a, b)
        t = c["h"].get("target", "")
        sa, sb = c["h"].get("sizeA"), c["h"].get("sizeB")
        sr = (int(sa) / int(sb)) if sa and sb else None
        met = check(r, t)
        if "gzip" in c["id"].split("-to-")[-1] and c["id"].startswith("convert/none-to") and sr is not None:
            met = met if sr <= 1.05 else "**missed** (size)" if met == "met" else met + " (size too)"
        P("| " + " | ".join([
            "`%s`%s" % (c["id"], flag(c)), fmt_cell(a), "`%s`" % c["h"].get("bl", ""), fmt_cell(b), fmt_r(r),
            "%s / %s" % (fmt_bytes(sa), fmt_bytes(sb)), fmt_r(sr),
            "%s / %s" % (fmt_t(a["cpu"]), fmt_t(b["cpu"]) if b else "—"), mib(a["rss"]),
            (("≤ %s×" % t[2:]) + (", size ≤ 1.05×" if met and "gzip" in c["id"].split("-to-")[-1]
                                  and c["id"].startswith("convert/none-to") else "")) if t else "", met]) + " |")
    P("")

rows = [c for c in cases.values() if c["h"]["group"] == "limit"]
if rows:
    P("## Limits")
    P("")
    P("Page-cache read (`cat`) of each archive, and decompression of the same data by the codec tools "
      "(output to /dev/null). MB/s is of the input read.")
    P("")
    P("| command | time | input | MB/s | CPU | note |")
    P("|---|---|---|---|---|---|")
    for c in rows:
        a = c["A"]
        paths = [w for w in c["h"]["a"].split() if w.startswith(SET)]
        size = sum(os.path.getsize(f) for p in paths for f in (glob.glob(p) or [p]) if os.path.isfile(f))
        P("| `%s`%s | %s | %s | %s | %s | %s |" % (
            c["id"], flag(c), fmt_cell(a), fmt_bytes(size),
            "%.0f" % (size / 1e6 / a["med"]) if a["med"] else "—", fmt_t(a["cpu"]), c["h"].get("note", "")))
    P("")

# ---- targets ----------------------------------------------------------------------------------------------
P("## Targets of issue 7")
P("")
T = []


def rr(cid, role="B"):
    c = cases.get(cid)
    return (ratio(c.get("A"), c.get(role)) if c else None), c


lst = [c for c in cases.values() if c["h"]["group"] == "list"]
if lst:
    worst = max(lst, key=lambda c: ratio(c["A"], c.get("B")) or 0)
    wr = ratio(worst["A"], worst.get("B"))
    maxbytes = max((int(c["h"]["bytesA"]) for c in lst if c["h"].get("bytesA")), default=None)
    T.append(("`list` no slower than pg_restore -l, reads only the TOC, every format",
              "worst %s× (`%s`: %s vs %s); at most %s read on any archive" % (
                  fmt_r(wr), worst["id"], fmt_t(worst["A"]["med"]), fmt_t(worst["B"]["med"]), fmt_bytes(maxbytes)),
              check(wr, "<=1.0")))
for cid, what in [("sql/custom-gzip", "`sql` full, custom gzip ≤ 0.5× pg_restore 17"),
                  ("sql/dir-gzip", "`sql` full, directory gzip ≤ 0.5× pg_restore 17"),
                  ("sql/custom-none", "`sql` full, custom none ≤ 0.6×"),
                  ("sql/custom-lz4", "`sql` full, custom lz4 ≤ 1.0×"),
                  ("sql/custom-zstd", "`sql` full, custom zstd ≤ 1.0×"),
                  ("sql/tar", "`sql` full, tar ≤ 1.0×")]:
    r, c = rr(cid)
    if c:
        r18 = ratio(c["A"], c.get("C"))
        lim = cases.get(c["h"].get("lim", ""))
        T.append((what, "%s× (%s vs %s; vs pg_restore 18: %s×; %s× the decompression limit)" % (
            fmt_r(r), fmt_t(c["A"]["med"]), fmt_t(c["B"]["med"]), fmt_r(r18),
            fmt_r(ratio(c["A"], lim["A"])) if lim else "—"), check(r, c["h"]["target"])))
# one table
parts, ok = [], True
for arch in ["custom-gzip", "dir-gzip"]:
    small, full, lst_ = cases.get("sql-t/%s/small_200" % arch), cases.get("sql/" + arch), cases.get("list/" + arch)
    if small and lst_:
        ts, tl = small["A"]["med"], lst_["A"]["med"]
        good = ts is not None and tl is not None and ts <= max(2 * tl, tl + 0.05)
        ok &= good
        parts.append("%s: -t small_200 %s (list %s, full %s, %s read)" % (
            arch, fmt_t(ts), fmt_t(tl), fmt_t(full["A"]["med"]) if full else "—", fmt_bytes(small["h"].get("bytesA"))))
    for t in ["pgbench_accounts", "prose"]:
        x = cases.get("extract/%s/%s" % (arch, t)) or cases.get("sql-t/%s/%s" % (arch, t))
        if x and x["h"].get("bytesA"):
            parts.append("`%s` reads %s" % (x["id"], fmt_bytes(x["h"]["bytesA"])))
for arch in ["tar", "custom-pipe"]:
    for kind in ["sql-t", "extract"]:
        x = cases.get("%s/%s/pgbench_accounts" % (kind, arch))
        if x and x["h"].get("bytesA") and x["h"].get("bytesB"):
            ba, bb = int(x["h"]["bytesA"]), int(x["h"]["bytesB"])
            good = ba <= 1.1 * bb + 2e6
            ok &= good
            parts.append("`%s`: %s read (pg_restore 17: %s)%s" % (x["id"], fmt_bytes(ba), fmt_bytes(bb),
                                                                "" if good else " — reads further"))
if parts:
    T.append(("One table (`sql -t`, `extract`): time follows the table for custom and directory; tar and piped "
              "archives read forward only as far as they must (pgbench_accounts is the first table's data; "
              "criterion: -t small_200 within max(2× list, list + 50 ms), and bytes read within pg_restore's "
              "+10 %)", "; ".join(parts), "met" if ok else "**missed**"))
for cid, what, tgt in [("convert/none-to-custom-gzip", "`convert` to gzip ≤ 0.5× gzip -6, output ≤ 1.05×", "<=0.5"),
                       ("convert/none-to-dir-gzip", "`convert` to directory gzip ≤ 0.5× gzip -6, output ≤ 1.05×", "<=0.5"),
                       ("convert/none-to-custom-zstd", "`convert` to zstd within 1.5× of zstd -3 -T2", "<=1.5"),
                       ("convert/none-to-custom-lz4", "`convert` to lz4 within 1.5× of lz4 -1", "<=1.5"),
                       ("convert/gzip-to-dir-gzip", "same codec, other format ≥ 3× faster than decompress + recompress (gzip, custom → directory)", "<=0.333"),
                       ("convert/dir-gzip-to-custom-gzip", "same codec, other format ≥ 3× faster (gzip, directory → custom)", "<=0.333"),
                       ("convert/zstd-to-dir-zstd", "same codec, other format ≥ 3× faster (zstd, custom → directory)", "<=0.333")]:
    r, c = rr(cid)
    if c:
        sa, sb = c["h"].get("sizeA"), c["h"].get("sizeB")
        extra, met = "", check(r, tgt)
        if "1.05" in what and sa and sb:
            sr = int(sa) / int(sb)
            extra = "; size %.3f×" % sr
            if sr > 1.05:
                met = "**missed**"
            # gzip is GNU gzip's own deflate; zlib's at the same level, single-threaded, is pigz -p 1.
            z = cases.get("limit/pigz-6-p1/copydata.sql")
            if z:
                extra += "; vs zlib level 6 single-threaded (pigz -6 -p 1, %s): %s×" % (
                    fmt_t(z["A"]["med"]), fmt_r(c["A"]["med"] / z["A"]["med"]))
        T.append((what, "%s× (%s vs %s)%s" % (fmt_r(r), fmt_t(c["A"]["med"]), fmt_t(c["B"]["med"]), extra), met))
pg = [(c["A"]["rss"], c["id"]) for c in cases.values() if c["h"]["group"] not in ("limit",)]
if pg:
    worst = sorted(pg, reverse=True)
    over = [i for m, i in worst if m > 32]
    rest = [c["B"]["rss"] for c in cases.values() if c["h"]["group"] in ("list", "sql", "sql-s", "sql-t", "extract", "verify") and "B" in c]
    T.append(("Peak memory ≤ 32 MiB for every command on every archive",
              "max %.1f MiB (`%s`)%s; pg_restore 17: %.0f–%.0f MiB" % (
                  worst[0][0], worst[0][1], ("; over 32 MiB: " + ", ".join("`%s`" % i for i in over)) if over else "",
                  min(rest) if rest else 0, max(rest) if rest else 0),
              "met" if not over else "**missed**"))
P("| target | measured | |")
P("|---|---|---|")
for what, m, met in T:
    P("| %s | %s | %s |" % (what, m, met or "—"))
P("")
noisy = [c["id"] for c in cases.values() if c["others"] > NOISY]
if noisy:
    P("Noisy cases (other processes used more than %.1f core on average while they ran): %s." % (
        NOISY, ", ".join("`%s` (%.1f)" % (i, cases[i]["others"]) for i in noisy)))
    P("")
failed = [c["id"] for c in cases.values() if any(c[r]["failed"] for r in ("A", "B", "C") if r in c)]
if failed:
    P("Cases with failed runs: %s." % ", ".join("`%s`" % i for i in failed))
    P("")

# What `run` does not measure is kept as its own sections: issue 18's parallel-reading analysis, instruction counts
# and profiles, and the figures of bench/plain.sh (issue 15), bench/diff-explode.sh (issue 17) and bench/remote.sh
# (issue 19), and issue 18's targets against bench/jobs.sh.
for section in (
    "parallel-section.md", "plain-section.md", "diff-explode-section.md", "remote-section.md", "startup-section.md",
    "jobs-section.md",
):
    section_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", section)
    if os.path.exists(section_path):
        P(open(section_path).read().rstrip())
        P("")

text = "\n".join(out) + "\n"
with open(report_path, "w") as f:
    f.write(text)
print(text)
print("written: " + report_path, file=sys.stderr)
