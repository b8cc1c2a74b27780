"""P3 throughput and P7 worker memory under `make serve`: real gunicorn, a load generator on loopback.

Each target's requests per second are reported as a ratio to the trivial /healthz view measured in
the same run (first and last; the mean of the two is the baseline), because the machines here are
shared and noisy. Logged-in targets use session cookies from the real login form. After the load,
the resident memory of every gunicorn worker and of the e-mail worker is read from /proc.

Each figure also has the gunicorn workers' CPU time per request (from /proc), which other programs
on the machine barely disturb: for diagnosis, the bars are on throughput.

    python -m bench.load VAR_DIR [--seconds 5] [--port N] [--json] [--python-generator]

VAR_DIR is a LEERGANG_VAR_DIR; when it holds no database yet, the demo is loaded into it first.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import http.client
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from leergang.demo import content  # constants only: no Django setup needed

BASE_DIR = Path(__file__).resolve().parent.parent

PROGRAMME = content.SLUG
COORDINATOR = "coordinator@example.org"
PARTICIPANT = "anna.jansen@example.org"  # enrolled in the running demo edition, with a case and hours
MEMORY_BAR_MB = 150
START_TIMEOUT = 300  # make serve migrates, collects static files and checks the demo first
THREADS, CONNECTIONS = 2, 16
WARM_UP_SECONDS = 1

# Counts every answer outside 2xx: wrk's own error count only covers 4xx and 5xx, and a logged-in
# page that redirects to the login form (302) would otherwise pass as a fast success.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do n = n + thread:get("bad") end
  io.write(string.format("BENCH_NON_2XX %d\\n", n))
end
"""


class BenchError(RuntimeError):
    pass


# -- a tiny HTTP client for setting up (login, checks) -----------------------------------------


class Session:
    """Cookies kept across requests to one host, no redirects followed (so a redirect is visible)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, dict(response.headers.items()), text
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, dict, str]:
        return self.request("GET", path)

    def login(self, email: str, password: str) -> None:
        path = "/nl/account/login/"
        status, _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token or "csrftoken" not in self.cookies:
            raise BenchError(f"the login form did not answer as expected (status {status})")
        form = {"csrfmiddlewaretoken": html.unescape(token.group(1)), "username": email, "password": password}
        status, headers, _ = self.request("POST", path, form)
        if status != 302 or "sessionid" not in self.cookies:
            raise BenchError(f"logging in as {email} failed (status {status}, to {headers.get('Location')})")


def expect_ok(session: Session, path: str) -> None:
    status, headers, _ = session.get(path)
    if status != 200:
        where = f" to {headers['Location']}" if "Location" in headers else ""
        raise BenchError(f"{path} answered {status}{where}, not 200")


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(var_dir: Path) -> dict[str, str]:
    """Production settings on SQLite in `var_dir`, limits raised so the load is never throttled."""
    dropped = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "HTTPS", "UPLOAD_ROOT", "SECRET_KEY_FILE", "CACHE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("EMAIL_")}
    env.update(
        LEERGANG_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOGIN_RATE_LIMIT="1000000",
        APPLY_RATE_LIMIT="1000000",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_server(var_dir: Path, port: int, log) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],
        cwd=BASE_DIR,
        env=server_env(var_dir),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # one process group: make, the worker, gunicorn and its workers
    )


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def log_tail(log_path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_until_up(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"make serve stopped with code {process.returncode}:\n{log_tail(log_path)}")
        try:
            if Session(port).get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise BenchError(f"/healthz did not answer within {START_TIMEOUT} s:\n{log_tail(log_path)}")


# -- processes and their memory ----------------------------------------------------------------


def _status(pid: int) -> dict[str, str]:
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def _argv(pid: int) -> list[str]:
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        return handle.read().decode(errors="replace").split("\0")


def group_processes(pgid: int) -> dict[int, tuple[int, list[str]]]:
    """pid -> (parent pid, argv) of every process in the process group `pgid`."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            if os.getpgid(pid) != pgid:
                continue
            found[pid] = (int(_status(pid)["PPid"]), _argv(pid))
        except (OSError, KeyError, ValueError):
            continue  # gone in the meantime
    return found


def app_processes(pgid: int) -> tuple[list[int], list[int], list[int]]:
    """(gunicorn masters, gunicorn workers, e-mail workers) among the processes of `make serve`."""
    processes = group_processes(pgid)
    # By the program run, not by a word in the command line: make's shell line names gunicorn too.
    gunicorn = {pid for pid, (_, argv) in processes.items() if any(Path(a).name == "gunicorn" for a in argv[:2])}
    masters = sorted(pid for pid in gunicorn if processes[pid][0] not in gunicorn)
    workers = sorted(pid for pid in gunicorn if processes[pid][0] in masters)
    task_workers = sorted(pid for pid, (_, argv) in processes.items() if argv[1:3] == ["manage.py", "worker"])
    if not workers:
        raise BenchError("no gunicorn worker processes found")
    return masters, workers, task_workers


def cpu_seconds(pids: list[int]) -> float | None:
    """User plus system CPU time of `pids`; None when one of them is gone (a worker was replaced)."""
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat(5)
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def memory_figures(pgid: int) -> dict:
    """VmRSS (now) and VmHWM (peak) in MB (10^6 bytes) of the gunicorn workers and the e-mail worker."""
    masters, workers, task_workers = app_processes(pgid)

    def mb(pid: int, field: str) -> float:
        return int(_status(pid)[field].split()[0]) * 1024 / 1e6  # /proc reports kB of 1024 bytes

    rss = [mb(pid, "VmRSS") for pid in workers]
    peak = [mb(pid, "VmHWM") for pid in workers]
    task_rss = max((mb(pid, "VmRSS") for pid in task_workers), default=None)
    task_peak = max((mb(pid, "VmHWM") for pid in task_workers), default=None)
    return {
        "gunicorn_workers": len(workers),
        "gunicorn_workers_max_rss": round(max(rss), 1),
        "gunicorn_workers_peak": round(max(peak), 1),
        "gunicorn_master_rss": round(max(mb(pid, "VmRSS") for pid in masters), 1),
        "task_worker_rss": None if task_rss is None else round(task_rss, 1),
        "task_worker_peak": None if task_peak is None else round(task_peak, 1),
        "bar": MEMORY_BAR_MB,
        # P7's bar is on the gunicorn workers. The e-mail worker is reported beside them: its peak is
        # its catch-up on a freshly generated history (years of reminders with their PDFs at once;
        # typst's fonts alone are some 33 MB once the first PDF is made).
        "ok": max(peak) < MEMORY_BAR_MB,
        "task_worker_under_bar": None if task_peak is None else task_peak < MEMORY_BAR_MB,
    }


def wait_for_idle_worker(pgid: int, *, quiet_seconds: float = 2.0, limit: float = 180.0) -> float:
    """Wait until the e-mail worker has caught up, and return how long that took (seconds).

    On a freshly generated data set the worker's first round does years of catch-up at once
    (overdue reminders with their invoice PDFs, retention, out-of-reach notices: several seconds of
    CPU). Measured during that, the first target competes with it for the two cores; a running
    installation did that work long ago. Idle: less than 5% of one core over `quiet_seconds`."""
    started = time.monotonic()
    task_workers = app_processes(pgid)[2]
    if not task_workers:
        return 0.0
    while time.monotonic() - started < limit:
        before = cpu_seconds(task_workers)
        time.sleep(quiet_seconds)
        after = cpu_seconds(task_workers)
        if before is None or after is None or after - before < 0.05 * quiet_seconds:
            break
    return round(time.monotonic() - started, 1)


# -- load generators ---------------------------------------------------------------------------


def wrk_version() -> str | None:
    path = shutil.which("wrk")
    if not path:
        return None
    result = subprocess.run([path, "-v"], capture_output=True, text=True)
    found = re.search(r"wrk (\S+)", result.stdout + result.stderr)
    return f"wrk {found.group(1) if found else '?'}"


def run_wrk(url: str, seconds: float, headers: dict[str, str], script: Path) -> dict:
    # wrk gives up on an answer after 2 s by default; queued behind 15 others on a busy machine a
    # logged-in page can take longer, which is slowness (seen in req/s), not a failed request.
    command = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{max(1, round(seconds))}s", "--timeout", "30s"]
    command += ["-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    output = result.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"BENCH_NON_2XX (\d+)", output)
    if result.returncode != 0 or not rps or not non_2xx:
        raise BenchError(f"wrk failed on {url}:\n{output}\n{result.stderr}")
    socket_errors = re.search(r"Socket errors: (connect \d+, read \d+, write \d+, timeout \d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    failed = int(non_2xx.group(1))
    detail = f"non-2xx {failed}"
    if socket_errors:
        failed += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
        detail += f"; socket errors: {socket_errors.group(1)}"
    return {
        "rps": float(rps.group(1)),
        "requests": int(requests.group(1)) if requests else None,
        "errors": failed,
        "error_detail": detail,
    }


async def _python_connection(port: int, request: bytes, deadline: float, counts: dict) -> None:
    # gunicorn's sync workers close the connection after each answer, so one request per connection.
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            answer = await reader.read()
            writer.close()
        except OSError:
            counts["errors"] += 1
            counts["socket_errors"] += 1
            continue
        status = answer[9:12]
        counts["requests"] += 1
        if not (status.isdigit() and 200 <= int(status) <= 299):
            counts["errors"] += 1


def _python_process(port: int, request: bytes, seconds: float, connections: int) -> dict:
    counts = {"requests": 0, "errors": 0, "socket_errors": 0}
    deadline = time.monotonic() + seconds

    async def main() -> None:
        await asyncio.gather(*(_python_connection(port, request, deadline, counts) for _ in range(connections)))

    asyncio.run(main())
    return counts


def run_python(port: int, path: str, seconds: float, headers: dict[str, str]) -> dict:
    """The fallback when wrk is missing: asyncio clients in THREADS processes (so they are not all
    behind one interpreter lock); slower than wrk, so its ratios are not comparable with wrk's."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    with context.Pool(THREADS) as pool:
        args = [(port, request, seconds, CONNECTIONS // THREADS)] * THREADS
        parts = pool.starmap(_python_process, args)
    elapsed = time.monotonic() - started
    requests = sum(part["requests"] for part in parts)
    errors, socket_errors = sum(part["errors"] for part in parts), sum(part["socket_errors"] for part in parts)
    detail = f"non-2xx {errors - socket_errors}; socket errors {socket_errors}"
    return {"rps": requests / elapsed, "requests": requests, "errors": errors, "error_detail": detail}


# -- the run -----------------------------------------------------------------------------------


def open_edition(session: Session) -> int:
    status, _, body = session.get(f"/api/v1/programmes/{PROGRAMME}")
    if status != 200:
        raise BenchError(f"/api/v1/programmes/{PROGRAMME} answered {status}")
    editions = [e for e in json.loads(body).get("editions", []) if e.get("status") == "open"]
    if not editions:
        raise BenchError(f"{PROGRAMME} has no open edition to apply to")
    return min(editions, key=lambda e: e["start_date"])["id"]


def run(var_dir: Path, *, seconds: float = 5.0, port: int | None = None, python_generator: bool = False) -> dict:
    """Start `make serve` on `var_dir`, load each target for `seconds`, stop it; see the module doc.

    `python_generator` uses the fallback load generator even when wrk is there (to try it out)."""
    var_dir = Path(var_dir).resolve()
    port = port or free_port()
    version = None if python_generator else wrk_version()
    log_path = Path(tempfile.mkstemp(prefix="leergang-bench-serve-", suffix=".log")[1])
    with open(log_path, "wb") as log:
        process = start_server(var_dir, port, log)
        try:
            wait_until_up(process, port, log_path)
            catch_up = wait_for_idle_worker(process.pid)
            measured = load_targets(process.pid, port, seconds, version)
            memory = memory_figures(process.pid)
        except BenchError as exc:
            raise BenchError(f"{exc}\n(the output of make serve is in {log_path})") from exc
        finally:
            stop_server(process)
    log_path.unlink()  # kept when something failed

    first, last = measured.pop(0)[1], measured.pop()[1]
    baseline = (first["rps"] + last["rps"]) / 2
    baseline_cpu = [f["cpu_ms"] for f in (first, last) if f["cpu_ms"]]
    rows = []
    for (name, path, bar), figures in measured:
        ratio = figures["rps"] / baseline
        cpu_ratio = (sum(baseline_cpu) / len(baseline_cpu) / figures["cpu_ms"]) if baseline_cpu and figures["cpu_ms"] else None
        rows.append(
            {
                "name": name,
                "url": path,
                "rps": round(figures["rps"], 1),
                "ratio": round(ratio, 3),
                "bar": bar,
                "ok": ratio >= bar and figures["errors"] == 0,
                "errors": figures["errors"],
                "error_detail": figures["error_detail"],
                "requests": figures["requests"],
                "cpu_ms": figures["cpu_ms"],
                "cpu_ratio": None if cpu_ratio is None else round(cpu_ratio, 3),
            }
        )
    if version:
        generator, seconds = f"{version}, {THREADS} threads, {CONNECTIONS} connections", max(1, round(seconds))
    else:
        generator = f"python asyncio, {THREADS} processes, {CONNECTIONS} connections (wrk not found)"
    return {
        "generator": generator,
        "seconds": seconds,
        "workers": int(server_env(var_dir)["WEB_CONCURRENCY"]),
        "worker_catch_up_seconds": catch_up,
        "targets": rows,
        "healthz_rps": {
            "first": round(first["rps"], 1),
            "last": round(last["rps"], 1),
            "errors": first["errors"] + last["errors"],
            # How far the two baselines lie apart: more than a quarter means the machine was busy.
            "spread": round(abs(first["rps"] - last["rps"]) / baseline, 3),
        },
        "healthz_cpu_ms": {"first": first["cpu_ms"], "last": last["cpu_ms"]},
        "memory_mb": memory,
    }


def load_targets(pgid: int, port: int, seconds: float, version: str | None) -> list[tuple[tuple, dict]]:
    """Log in, check every target answers 200, then load /healthz, each target and /healthz again.

    Besides requests per second, each figure has the gunicorn workers' CPU time per request (from
    /proc): it hardly moves when other programs compete for the CPU, unlike throughput.
    """
    anonymous, coordinator, participant = Session(port), Session(port), Session(port)
    edition = open_edition(anonymous)
    coordinator.login(COORDINATOR, content.DEMO_PASSWORD)
    participant.login(PARTICIPANT, content.DEMO_PASSWORD)
    targets = [
        ("programme page", f"/nl/opleidingen/{PROGRAMME}/", anonymous, 0.5),
        ("programme API", f"/api/v1/programmes/{PROGRAMME}", anonymous, 0.5),
        ("registration form", f"/nl/aanmelden/{edition}/", anonymous, 0.2),
        ("coordinator inbox", f"/nl/coordinatie/edities/{edition}/aanmeldingen/", coordinator, 0.1),
        ("participant dashboard", "/nl/account/", participant, 0.1),
    ]
    for _, path, session, _ in targets:
        expect_ok(session, path)
    workers = app_processes(pgid)[1]

    with tempfile.TemporaryDirectory(prefix="leergang-bench-") as folder:
        script = Path(folder) / "count_non_2xx.lua"
        script.write_text(WRK_SCRIPT)

        def load(path: str, session: Session, duration: float) -> dict:
            headers = {"Cookie": session.cookie_header()} if session.cookies else {}
            if version:
                return run_wrk(f"http://127.0.0.1:{port}{path}", duration, headers, script)
            return run_python(port, path, duration, headers)

        def measure(path: str, session: Session) -> dict:
            load(path, session, WARM_UP_SECONDS)  # every worker has compiled its templates
            cpu_before = cpu_seconds(workers)
            figures = load(path, session, seconds)
            cpu_after = cpu_seconds(workers)
            cpu = None if cpu_before is None or cpu_after is None or not figures["requests"] else (
                round((cpu_after - cpu_before) * 1000 / figures["requests"], 2))  # fmt: skip
            return {**figures, "cpu_ms": cpu}

        measured = [(("/healthz", "/healthz", None), measure("/healthz", anonymous))]
        measured += [((name, path, bar), measure(path, session)) for name, path, session, bar in targets]
        measured.append((("/healthz", "/healthz", None), measure("/healthz", anonymous)))
    # The sessions still work after the load (a redirect to login would have counted as non-2xx).
    for _, path, session, _ in targets:
        expect_ok(session, path)
    return measured


def _number(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(result: dict) -> None:
    healthz, cpu = result["healthz_rps"], result["healthz_cpu_ms"]
    print(f"P3 throughput under make serve (gunicorn, {result['workers']} workers); {result['generator']}, "
          f"{result['seconds']} s per target")  # fmt: skip
    print(f"  /healthz baseline: {healthz['first']:.0f} req/s first, {healthz['last']:.0f} req/s last"
          f" ({_number(cpu['first'], '.2f')} / {_number(cpu['last'], '.2f')} ms worker CPU per request)"
          + (f", {healthz['errors']} ERRORS" if healthz["errors"] else ""))  # fmt: skip
    if result.get("worker_catch_up_seconds"):
        print(
            f"  (measured once the e-mail worker had caught up with the generated history: {result['worker_catch_up_seconds']} s)"
        )
    if healthz["spread"] > 0.25:
        print(f"  WARNING: the two baselines differ by {healthz['spread']:.0%}: the machine was busy, ratios are rough")
    print(f"  {'target':<22} {'url':<46} {'req/s':>7} {'x healthz':>9} {'bar':>5} {'errors':>6}"
          f"        {'CPU ms/req':>10} {'x healthz':>9}")  # fmt: skip
    for row in result["targets"]:
        verdict = "ok" if row["ok"] else "FAIL"
        print(f"  {row['name']:<22} {row['url']:<46} {row['rps']:7.1f} {row['ratio']:9.3f} {row['bar']:>4}x "
              f"{row['errors']:6d}  {verdict:<4}  {_number(row['cpu_ms'], '10.2f')} {_number(row['cpu_ratio'], '9.3f')}")  # fmt: skip
        if row["errors"]:
            print(f"  {'':<22} errors: {row['error_detail']}")
    print("  (the last two columns: gunicorn workers' CPU time per request, and as a ratio to /healthz's; for")
    print("  diagnosis on a busy machine, the bar is on throughput)")
    memory = result["memory_mb"]
    task = "none found" if memory["task_worker_rss"] is None else (
        f"{memory['task_worker_rss']:.1f} MB (peak {memory['task_worker_peak']:.1f} MB)")  # fmt: skip
    print("P7 worker memory after the load (MB = 10^6 bytes)")
    print(f"  gunicorn workers ({memory['gunicorn_workers']}): RSS max {memory['gunicorn_workers_max_rss']:.1f} MB, "
          f"peak {memory['gunicorn_workers_peak']:.1f} MB; bar: each under {memory['bar']} MB: "
          f"{'ok' if memory['ok'] else 'FAIL'}")  # fmt: skip
    print(f"  e-mail worker (not a gunicorn worker, outside the bar): {task}\n")


def prepare(var_dir: Path) -> None:
    """A var dir with the demo in it, as `make run` would leave it."""
    if (var_dir / "leergang.sqlite3").exists():
        return
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["LEERGANG_VAR_DIR"] = str(var_dir)
    for args in (["migrate", "--noinput", "--verbosity", "0"], ["load_demo", "--quiet-logins"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("var_dir", type=Path)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print the result as JSON as well")
    parser.add_argument("--python-generator", action="store_true", help="use the fallback load generator, not wrk")
    options = parser.parse_args()
    var_dir = options.var_dir.resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    prepare(var_dir)
    result = run(var_dir, seconds=options.seconds, port=options.port, python_generator=options.python_generator)
    print_table(result)
    if options.json:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
