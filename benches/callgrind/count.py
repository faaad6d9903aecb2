#!/usr/bin/env python3
"""Instructions and SQL statements per request of the load benchmark's reads, counted by
callgrind: the figure to compare two trees with on a machine whose wall-clock numbers drift.

The release binary serves under `valgrind --tool=callgrind` on a synthetic database; per
operation three requests warm up, the counters are zeroed, N requests run one after another,
the counters are dumped and read. Instructions are counted, not timed, so they do not depend on
what else the machine does (only the server's; PostgreSQL runs in its own processes: the
statements per request, read from the server's /metrics, stand for its share).

    python3 benches/callgrind/count.py --bin target/release/digidash \
        --database-url postgres://postgres@127.0.0.1/bench_icount [--ops deep_page,...] [--n 10]

With `--pg-log` (PostgreSQL's log file, e.g. /var/log/postgresql/postgresql-15-main.log) the
database logs every statement's phases while the script runs (`log_min_duration_statement =
0`, reset afterwards) and the table adds PostgreSQL's parse, bind (where a statement is
planned) and execute time per request, summed over its statements: the planning time of an
operation, measured as PostgreSQL spends it.

The documents are read from `benches/load/operations.rs`, so they are the benchmark's own.
The database is seeded with `digidash seed --synthetic --tenants 4` when it holds no synthetic
tenant (create it first); the counts are for `synth-0001` (central IT; `FB 1` for the
department dashboard; the council for the council report). Needs valgrind and Python 3 only.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SECRET = "digidash-callgrind-secret"
ROOT = Path(__file__).resolve().parents[2]


def documents():
    """The benchmark's documents by operation name, from operations.rs."""
    source = (ROOT / "benches/load/operations.rs").read_text()
    consts = dict(re.findall(r'pub\(crate\) const (\w+): &str = "((?:[^"\\]|\\.)*)";', source))
    unescape = lambda s: s.replace('\\"', '"')
    macro = re.search(r"macro_rules! goals_page \{.*?concat!\((.*?)\)\s*\};", source, re.S)
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\$(\w+)', macro.group(1))

    def goals_page(name, goals, measures):
        values = {"name": name, "goals": goals, "measures": measures}
        return "".join(unescape(text) if text else values[var] for text, var in parts)

    return {
        "measures_page": unescape(consts["MEASURES_PAGE"]),
        "deep_page": goals_page("DeepPage", "50", "20"),
        "medium_page": goals_page("MediumPage", "10", "5"),
        "portfolio_dashboard": unescape(consts["PORTFOLIO_DASHBOARD"]),
        "department_dashboard": unescape(consts["DEPARTMENT_DASHBOARD"]),
        "council_report": unescape(consts["COUNCIL_REPORT"]),
    }


def run(binary, env, *args):
    out = subprocess.run([binary, *args], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def post(url, token, query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        url, body, {"content-type": "application/json", "authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    if answer.get("errors"):
        sys.exit(f"request failed: {json.dumps(answer['errors'])[:500]}")
    return answer["data"]


def statements(base):
    with urllib.request.urlopen(f"{base}/metrics", timeout=60) as response:
        text = response.read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("digidash_db_statements_total")
    )


def settle(base):
    """Waits until the server's own tasks are done with their first round: on a large
    database the webhook deliverer announces a batch of overdue milestones when it starts,
    which would count into the first operation's instructions and PostgreSQL time. Settled
    once two readings 3 s apart differ by fewer statements than the deliverer's polls make."""
    last = statements(base)
    for _ in range(200):
        time.sleep(3)
        now = statements(base)
        if now - last < 10:
            return
        last = now


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--ops", default=",".join(documents()))
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--tenant", default="synth-0001")
    parser.add_argument("--pg-log")
    args = parser.parse_args()
    database = args.database_url.rsplit("/", 1)[1].split("?")[0]
    docs = documents()
    env = dict(os.environ, DATABASE_URL=args.database_url, JWT_SECRET=SECRET)
    tenants = subprocess.run(
        ["psql", args.database_url, "-Atc", "SELECT count(*) FROM tenant WHERE key LIKE 'synth-%'"],
        capture_output=True, text=True,
    ).stdout.strip()
    if tenants in ("", "0"):
        run(args.bin, env, "migrate")
        run(args.bin, env, "seed", "--synthetic", "--tenants", "4")
        subprocess.run(["psql", args.database_url, "-qc", "VACUUM ANALYZE"], check=True)
    tokens = {
        role: run(args.bin, env, "token", "--role", role, "--tenant", args.tenant, *unit)
        for role, unit in [("central_it", []), ("department", ["--org-unit", "FB 1"]), ("council", [])]
    }
    if args.pg_log:
        psql(args.database_url, f'ALTER DATABASE "{database}" SET log_min_duration_statement = 0')
    port = free_port()
    out = Path(f"/tmp/callgrind-{port}")
    out.mkdir(exist_ok=True)
    serve_env = dict(
        env,
        BIND_ADDR=f"127.0.0.1:{port}",
        DIGIDASH_ENV="production",
        RATE_LIMIT_PER_MINUTE="0",
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE="0",
        MAX_QUERY_COMPLEXITY="100000000",
        RESPONSE_CACHE_ENTRIES="0",
        REQUEST_TIMEOUT_SECS="600",
        DB_STATEMENT_TIMEOUT_MS="600000",
    )
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.out", args.bin, "serve"],
        env=serve_env, stdout=subprocess.DEVNULL, stderr=open(out / "serve.log", "w"),
    )
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/graphql"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(1)
        settle(base)
        tenant = post(url, tokens["central_it"], "{ me { tenant { version councilLiveReport } } }")
        tenant = tenant["me"]["tenant"]
        if not tenant["councilLiveReport"]:
            post(
                url, tokens["central_it"],
                "mutation($input: SetCouncilLiveReportInput!) { setCouncilLiveReport(input: $input) { tenant { version } } }",
                {"input": {"allowed": True, "version": tenant["version"]}},
            )
        print(
            f"{'operation':24} {'instructions/request':>22} {'statements/request':>20}"
            + (f" {'parse ms':>9} {'bind ms':>9} {'execute ms':>11}" if args.pg_log else "")
        )
        for op in args.ops.split(","):
            role = {"department_dashboard": "department", "council_report": "council"}.get(op, "central_it")
            for _ in range(3):
                post(url, tokens[role], docs[op])
            subprocess.run(["callgrind_control", "--zero", str(server.pid)], check=True, capture_output=True)
            before = statements(base)
            logged = os.path.getsize(args.pg_log) if args.pg_log else 0
            for _ in range(args.n):
                post(url, tokens[role], docs[op])
            per_request = (statements(base) - before) / args.n
            subprocess.run(["callgrind_control", f"--dump={op}", str(server.pid)], check=True, capture_output=True)
            dumps = sorted(out.glob("cg.out*"), key=lambda p: p.stat().st_mtime)
            totals = re.search(r"^(?:totals|summary): (\d+)", dumps[-1].read_text(), re.M)
            instructions = int(totals.group(1)) / args.n
            line = f"{op:24} {instructions / 1e6:>20.2f} M {per_request:>20.1f}"
            if args.pg_log:
                phases = phase_times(args.pg_log, logged, database)
                line += "".join(f" {phases.get(p, 0.0) / args.n:>{w}.2f}" for p, w in
                                [("parse", 9), ("bind", 9), ("execute", 11)])
            print(line, flush=True)
    finally:
        server.terminate()
        server.wait()
        if args.pg_log:
            psql(args.database_url, f'ALTER DATABASE "{database}" RESET log_min_duration_statement')


def psql(url, sql):
    subprocess.run(["psql", url, "-qc", sql], check=True)


def phase_times(log, offset, database):
    """Milliseconds by phase (parse, bind, execute) logged for `database` after `offset`."""
    time.sleep(0.5)
    with open(log, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    phases = {}
    pattern = re.compile(rf"@{re.escape(database)} LOG:  duration: ([0-9.]+) ms  (parse|bind|execute)")
    for duration, phase in pattern.findall(text):
        phases[phase] = phases.get(phase, 0.0) + float(duration)
    return phases


if __name__ == "__main__":
    main()
