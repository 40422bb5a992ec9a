"""Two versions of the app side by side, on the same scope, requests interleaved.

    .venv/bin/python scripts/bench_compare.py --old-dir ../old --old-db postgres://…/old \\
        --new-db postgres://…/new [--requests 40]

`make bench` on a shared two-core machine moves by more than the 10 % a change is judged on
(the same code and data: medians 0.9 to 2.2 times apart in two runs 35 minutes apart). This
harness answers one question instead: is this checkout slower than an older one (`--old-dir`, a
git worktree of it, each on the national data its own generator made) for a scope the 2025
reorganisation did not touch? Both are served at once under gunicorn as `make bench` serves
them; a board staff user of the generated province P01 (Hà Nội, 94 units in both data sets) and
an officer of its first commune are added to both databases; each page is requested from one
version then the other, alternating which goes first, so that whatever slows the machine slows
both. It prints the medians, SQL time and queries of each (docs/benchmarks.md quotes a run).
"""

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench", BASE_DIR / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

PROVINCE = "P01"
PASSWORD = "So-sanh-2025!"
PAGES = (
    ("dashboard", "/"),
    ("session list", "/sessions/"),
    ("calendar", "/sessions/calendar/?month=2025-05"),
    ("opinion list", "/opinions/"),
    ("search “dat dai”", "/opinions/?q=dat+dai"),
    ("search “o nhiem nuoc”", "/opinions/?q=o+nhiem+nuoc"),
)
# Two users of P01 on each side: (username, role, which unit).
USERS = (("ss_tinh", "board_staff", "province"), ("ss_xa", "commune_officer", "commune"))
SETUP = """
from accounts.models import User
from communes.models import AdministrativeUnit
province = AdministrativeUnit.objects.get(code={province!r})
commune = AdministrativeUnit.objects.filter(path__startswith=province.path, kind="commune").order_by("path").first()
for name, role, which in {users!r}:
    user, _ = User.objects.get_or_create(username=name)
    user.role, user.unit = role, province if which == "province" else commune
    user.set_password({password!r})
    user.save()
print(commune.name)
"""  # noqa: E501


class Side:
    def __init__(self, label, directory: Path, database_url: str, folder: Path):
        self.label, self.directory = label, directory
        folder.mkdir()
        self.env = bench.server_env(database_url, folder)
        self.server = bench.Gunicorn(self.env, workers=2 * (os.cpu_count() or 1) + 1, folder=folder)

    def manage(self, *args) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(self.directory / "manage.py"), *args],
            cwd=self.directory, env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return result.stdout

    def prepare(self) -> str:
        self.manage("collectstatic", "--noinput", "-v", "0")
        setup = SETUP.format(province=PROVINCE, users=USERS, password=PASSWORD)
        return self.manage("shell", "-c", setup).strip().splitlines()[-1]

    def start(self):
        # bench.Gunicorn runs from this checkout: point it at the side's own directory.
        bench.BASE_DIR, saved = self.directory, bench.BASE_DIR
        try:
            self.server.start()
        finally:
            bench.BASE_DIR = saved


def compare(args):
    with tempfile.TemporaryDirectory(prefix="tiepxuc-compare-") as tmp:
        sides = [
            Side("old", Path(args.old_dir).resolve(), args.old_db, Path(tmp) / "old"),
            Side("new", BASE_DIR, args.new_db, Path(tmp) / "new"),
        ]
        for side in sides:
            print(f"{side.label}: commune {side.prepare()}", flush=True)
        bench.settle(os.cpu_count() or 1, most=args.settle)
        try:
            for side in sides:
                side.start()
            browsers = {}
            for side in sides:
                for name, _, _ in USERS:
                    browser = bench.Browser(side.server.port)
                    refused = browser.log_in(name, PASSWORD)
                    if refused:
                        raise SystemExit(f"{side.label} {name}: {refused}")
                    browsers[side.label, name] = browser
            timings = {}
            for label, path in PAGES:
                for name, _, _ in USERS:
                    for side in sides:
                        browser = browsers[side.label, name]
                        for _ in range(bench.WARMUP):
                            browser.get(path)
                        timings[label, name, side.label] = bench.Timing(label, name, path)
                    for round_ in range(args.requests):
                        order = sides if round_ % 2 == 0 else sides[::-1]
                        for side in order:
                            status, headers, _, elapsed = browsers[side.label, name].get(path)
                            timing = timings[label, name, side.label]
                            if status != 200:
                                timing.error = f"HTTP {status}"
                                continue
                            timing.walls.append(elapsed * 1000)
                            server = bench.parse_server_timing(headers.get("Server-Timing"))
                            if server["queries"] is not None:
                                timing.apps.append(server["app"])
                                timing.dbs.append(server["db"])
                                timing.queries.append(server["queries"])
                    old, new = timings[label, name, "old"], timings[label, name, "new"]
                    print(f"  {label:24} {name:8} old {bench.ms(old.median):>7} ms  "
                          f"new {bench.ms(new.median):>7} ms", flush=True)  # fmt: skip
        finally:
            for side in sides:
                side.server.stop()
    return timings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old-dir", required=True, help="a checkout of the older commit")
    parser.add_argument("--old-db", required=True)
    parser.add_argument("--new-db", required=True)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--settle", type=float, default=180, help="seconds to wait at most for an idle machine"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    timings = compare(args)
    print()
    print(
        "| page | user | old median ms | new median ms | new / old | old SQL ms | new SQL ms "
        "| old queries | new queries |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, _ in PAGES:
        for name, _, _ in USERS:
            old, new = timings[label, name, "old"], timings[label, name, "new"]
            ratio = new.median / old.median if old.median and new.median else None
            print(
                f"| {label} | {name} | {bench.ms(old.median)} | {bench.ms(new.median)} | "
                f"{'–' if ratio is None else f'{ratio:.2f}'} | {bench.ms(old.db_median)} | "
                f"{bench.ms(new.db_median)} | {old.query_text} | {new.query_text} |"
            )
    medians = [
        timings[label, name, "new"].median / timings[label, name, "old"].median
        for label, _ in PAGES
        for name, _, _ in USERS
        if timings[label, name, "old"].median and timings[label, name, "new"].median
    ]
    if medians:
        print(f"\nMedian of the ratios {statistics.median(medians):.2f}, "
              f"largest {max(medians):.2f}.")  # fmt: skip
    print(f"The comparison took {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
