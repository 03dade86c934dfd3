"""The generated form page and the final submission over HTTP, beside ceilings measured in the same run.

Serves the real app (``engine.app:create_app``) under uvicorn — one worker, ``--loop uvloop --http httptools`` — on
a temporary SQLite file, then on a fresh PostgreSQL database, with a catalogue holding only
``bench/fixtures/bench_trente_champs.yaml`` (one page of 30 questions of varied types). A minimal starlette app is
served the same way beside it for the ceilings. The load comes from another process (so client and server never
share a GIL): raw keep-alive HTTP/1.1 connections on uvloop, parsed by httptools. Each scenario: warm-up, then
measure, bounded in time (and in count for submissions).

  (a) GET the 30-field step of a filled draft, with its owner's cookie        → req/s, p50, p99, bytes
  (b) ceiling of (a): starlette + one fixed jinja2 template producing the SAME bytes (the HTML (a) returned, with the
      dossier id and the CSRF token as variables)                             → req/s; ratio (a)/(b), target ≥ 0.70
  (c) POST the final submission (« Envoyer »), each request a different draft prepared beforehand through
      engine.services, 20 concurrent clients                                  → p50, p99, req/s; target p99 < 50 ms
                                                                                on PostgreSQL
      On PostgreSQL the app runs as in production, MAIL_DELIVERY=separate, with ``guichet courriels --suivre``
      started beside it at niceness 10 (``--postman-nice``): its CPU is the "mail" column, and every receipt of
      the measure is checked to have gone (how long after the load is printed). On SQLite the app sends them
      itself, the development default. ``--mail app|separate`` chooses for both.
  (d) ceiling of (c): a bare SQLAlchemy INSERT of the same dossier row and its history event in a minimal starlette
      endpoint (written like the app's: an ``async def`` doing synchronous database work), same concurrency
  (d') the same INSERT in a plain ``def`` endpoint, which starlette runs in its thread pool: what taking the
      database work off the event loop is worth at 20 concurrent clients

Targets are printed, never asserted (the machine may be shared: the "other" column says how busy it was).
Everything started is stopped, the PostgreSQL database dropped and the temporary directory removed, even on failure.

Run: ``python bench/form_http.py`` (about 4 minutes). Options: ``--quick`` (short phases, a smoke test),
``--no-postgres``, ``--no-sqlite``, ``--skip-pages`` (only (c), (d), (d')), ``--mail``, ``--profile DIR`` (extra
(a) and (c) runs under ``py-spy record``, summarised by function; needs ``pip install py-spy`` and ptrace rights).
PostgreSQL: ``GUICHET_BENCH_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``), where a
database ``guichet_bench_<random>`` is created then dropped."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
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
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURE = HERE / "fixtures" / "bench_trente_champs.yaml"
SLUG = "bench_trente_champs"
POSTGRES_ADMIN = os.environ.get("GUICHET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

XGOV_RANGE = (540, 660)
"""XGovFormBuilder's form runner, ~17 KB page, one Node process (issue 3)."""
XGOV = 600
GOAL_FACTOR = 3
BARE_REFERENCE = (3400, 5300)
"""Bare starlette + jinja2, ~17 KB page, one uvicorn worker: default loop / uvloop + httptools (issue 3)."""

# What a citizen types on the page, as the browser posts it (dates in three boxes, the address in four parts).
ANSWERS = [
    ("civilite", "madame"),
    ("nom", "Wakolo"),
    ("prenoms", "Marie Thérèse"),
    ("date_naissance.jour", "27"),
    ("date_naissance.mois", "3"),
    ("date_naissance.annee", "1985"),
    ("commune_naissance", "noumea"),
    ("email", "marie.wakolo@exemple.nc"),
    ("telephone", "77 12 34"),
    ("adresse.ligne1", "12 rue Jules Ferry"),
    ("adresse.ligne2", "Résidence les Flamboyants"),
    ("adresse.code_postal", "98800"),
    ("adresse.commune", "noumea"),
    ("date_installation.jour", "10"),
    ("date_installation.mois", "1"),
    ("date_installation.annee", "2015"),
    ("situation_familiale", "marie_pacse"),
    ("nombre_enfants", "2"),
    ("nombre_personnes", "4"),
    ("profession", "Infirmière"),
    ("employeur", "Centre hospitalier territorial"),
    ("revenu_mensuel", "250 000"),
    ("autres_revenus", "30 000"),
    ("aides_percues", "allocations_familiales"),
    ("statut_logement", "locataire_prive"),
    ("loyer", "120 000"),
    ("type_logement", "appartement"),
    ("surface_logement", "72,5"),
    ("equipements", "eau_chaude"),
    ("equipements", "internet"),
    ("logement_decent", "oui"),
    (
        "description_besoin",
        "Payer le loyer pendant la reprise d'une formation d'infirmière spécialisée, "
        "de septembre à juin, le temps que les revenus du foyer reviennent à leur niveau habituel.",
    ),
    ("montant_demande", "300 000"),
    ("date_souhaitee.jour", "1"),
    ("date_souhaitee.mois", "7"),
    ("date_souhaitee.annee", "2026"),
    ("iban", "FR76 3000 1007 9412 3456 7890 185"),
    ("ridet", ""),
    ("contact_prefere", "courriel"),
    ("engagement_exactitude", "oui"),
]


class BenchError(Exception):
    """The run cannot go on: a server did not start, a response was not the expected one."""


# ---------------------------------------------------------------------------------------------------------------
# The load generator (run as ``form_http.py --client`` in its own process: a JSON spec on stdin, JSON out)
# ---------------------------------------------------------------------------------------------------------------


def _cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def client_main() -> None:
    import uvloop

    spec = json.loads(sys.stdin.read())
    print(json.dumps(uvloop.run(_load(spec))))


async def _load(spec: dict[str, Any]) -> dict[str, Any]:
    import httptools

    loop = asyncio.get_running_loop()
    host, port = spec["host"], spec["port"]
    template: str = spec["request"]
    ids: list[str] | None = spec.get("ids")
    pool = iter(ids) if ids is not None else None
    fixed = template.encode() if ids is None else b""
    expect_status: int = spec["expect_status"]
    expect_location: str | None = spec.get("expect_location")
    start = time.perf_counter()
    measure_from = start + spec["warmup"]
    stop_at = measure_from + spec["duration"]

    class Connection(asyncio.Protocol):
        def __init__(self) -> None:
            self.parser = httptools.HttpResponseParser(self)
            self.transport: asyncio.Transport = None  # type: ignore[assignment]  # set on connection
            self.waiter: asyncio.Future[None] | None = None
            self.status = 0
            self.nbytes = 0
            self.location: bytes | None = None
            self.keep_alive = True

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport  # type: ignore[assignment]

        def data_received(self, data: bytes) -> None:
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError as error:
                self._fail(error)

        def connection_lost(self, exc: Exception | None) -> None:
            self._fail(exc or ConnectionError("connection closed by the server"))

        def _fail(self, error: BaseException) -> None:
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_exception(error)

        def on_message_begin(self) -> None:
            self.nbytes = 0
            self.location = None

        def on_header(self, name: bytes, value: bytes) -> None:
            if name.lower() == b"location":
                self.location = value

        def on_headers_complete(self) -> None:
            self.status = self.parser.get_status_code()
            self.keep_alive = self.parser.should_keep_alive()

        def on_body(self, body: bytes) -> None:
            self.nbytes += len(body)

        def on_message_complete(self) -> None:
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(None)

    samples: list[tuple[float, float]] = []  # (start, latency) of requests started in the measure window
    sizes: list[int] = []
    errors: Counter[str] = Counter()
    done_at = [measure_from]

    def next_request() -> bytes | None:
        if pool is None:
            return fixed
        found = next(pool, None)
        return None if found is None else template.replace("{id}", found).encode()

    async def connect() -> Connection:
        _, protocol = await loop.create_connection(Connection, host, port)
        protocol.transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return protocol

    async def worker() -> None:
        conn = await connect()
        failures = 0
        while True:
            begin = time.perf_counter()
            if begin >= stop_at:
                break
            request = next_request()
            if request is None:
                break
            conn.waiter = loop.create_future()
            conn.transport.write(request)
            try:
                await conn.waiter
            except Exception as error:
                errors[f"{type(error).__name__}: {error}"[:120]] += 1
                failures += 1
                if failures > 50:
                    break
                conn.transport.close()
                conn = await connect()
                continue
            end = time.perf_counter()
            ok = conn.status == expect_status and (
                expect_location is None or (conn.location or b"").decode().endswith(expect_location)
            )
            if not ok:
                errors[f"HTTP {conn.status} {(conn.location or b'').decode()[-60:]}"] += 1
            if begin >= measure_from:
                samples.append((begin, end - begin))
                sizes.append(conn.nbytes)
                done_at[0] = max(done_at[0], end)
            if not conn.keep_alive:
                conn.transport.close()
                conn = await connect()
        conn.transport.close()

    cpu: dict[str, Any] = {}

    async def sampler() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        cpu["server0"] = _cpu_ticks(spec["server_pid"])
        cpu["helper0"] = sum(_cpu_ticks(pid) for pid in spec.get("helper_pids", []))
        cpu["client0"] = time.process_time()
        cpu["machine0"] = _machine_ticks()

    sampling = asyncio.create_task(sampler())
    await asyncio.gather(*(worker() for _ in range(spec["connections"])))
    await sampling
    elapsed = done_at[0] - measure_from
    tick = os.sysconf("SC_CLK_TCK")
    busy = (_machine_ticks()[0] - cpu["machine0"][0], _machine_ticks()[1] - cpu["machine0"][1])
    server_cpu = (_cpu_ticks(spec["server_pid"]) - cpu["server0"]) / tick
    helper_cpu = (sum(_cpu_ticks(pid) for pid in spec.get("helper_pids", [])) - cpu["helper0"]) / tick
    client_cpu = time.process_time() - cpu["client0"]
    latencies = sorted(latency for _, latency in samples)
    return {
        "count": len(samples),
        "elapsed": elapsed,
        "rate": len(samples) / elapsed if elapsed > 0 else 0.0,
        "p50": _quantile(latencies, 0.50),
        "p99": _quantile(latencies, 0.99),
        "max": latencies[-1] if latencies else math.nan,
        "bytes": round(sum(sizes) / len(sizes)) if sizes else 0,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(5)),
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
        "helper_cpu": helper_cpu,
        # the whole machine's busy CPU-seconds in the window, in cores (2.0 = both cores fully busy)
        "machine_cores": (busy[0] / tick) / elapsed if elapsed > 0 else 0.0,
        "exhausted": ids is not None and done_at[0] < stop_at - 0.05,
    }


def _quantile(ordered: list[float], q: float) -> float:
    """Nearest-rank quantile of a sorted list."""
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


# ---------------------------------------------------------------------------------------------------------------
# The ceiling app (served by uvicorn as ``form_http:ceiling_app --factory``): starlette, one template, one INSERT
# ---------------------------------------------------------------------------------------------------------------


def ceiling_app() -> Any:
    import contextlib
    import itertools
    from collections.abc import AsyncIterator

    import jinja2
    from sqlalchemy import insert as insert_into
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route

    from engine.db import create_db_engine
    from engine.storage import metadata, new_id, utcnow

    config = json.loads(Path(os.environ["BENCH_CEILING"]).read_text(encoding="utf-8"))
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(config["template_dir"]), autoescape=jinja2.select_autoescape()
    )
    template = templates.get_template("page.html")
    csrf = config["csrf_token"]
    db = create_db_engine(config["database_url"])
    numbers = itertools.count(1)
    row: dict[str, Any] = {}
    dossiers, events = metadata.tables["dossier"], metadata.tables["dossier_event"]

    async def page(request: Request) -> Response:
        return HTMLResponse(template.render(dossier_id=request.path_params["dossier_id"], csrf_token=csrf))

    def insert() -> str:
        if not row:  # written by the bench once the app has submitted a real dossier: the same row, copied
            row.update(json.loads(Path(config["row_file"]).read_text(encoding="utf-8")))
        now = utcnow()
        dossier_id = new_id()
        numero = f"PLAFOND-{os.getpid()}-{next(numbers):07d}"
        with db.begin() as connection:
            connection.execute(
                insert_into(dossiers).values(
                    {
                        **row["dossier"],
                        "id": dossier_id,
                        "numero": numero,
                        "created_at": now,
                        "updated_at": now,
                        "submitted_at": now,
                    }
                )
            )
            connection.execute(
                insert_into(events).values(
                    {
                        **row["event"],
                        "dossier_id": dossier_id,
                        "at": now,
                        "data": {**row["event"]["data"], "numero": numero},
                    }
                )
            )
        return dossier_id

    async def insert_row(request: Request) -> Response:
        """Like the app's endpoints: ``async def`` doing synchronous database work on the event loop."""
        await request.body()
        return Response(status_code=303, headers={"location": f"/dossiers/{insert()}/recepisse"})

    def insert_row_pool(request: Request) -> Response:
        """The same INSERT in a plain ``def`` endpoint, which starlette runs in its thread pool."""
        return Response(status_code=303, headers={"location": f"/dossiers/{insert()}/recepisse"})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        db.dispose()

    return Starlette(
        routes=[
            Route("/page/{dossier_id}", page),
            Route("/insert", insert_row, methods=["POST"]),
            Route("/insert-threadpool", insert_row_pool, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


# ---------------------------------------------------------------------------------------------------------------
# The orchestrator
# ---------------------------------------------------------------------------------------------------------------


class Run:
    """Everything this run started, so that it is all stopped and removed in the end, whatever happened."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.scratch = Path(tempfile.mkdtemp(prefix="guichet_bench_"))
        self.processes: list[subprocess.Popen[bytes]] = []
        self.databases: list[str] = []
        self.engines: list[Any] = []
        self.profiles: list[str] = []
        self.postman: subprocess.Popen[bytes] | None = None
        """``guichet courriels --suivre`` beside the app (MAIL_DELIVERY=separate): its CPU is measured with loads."""

    # -- processes ------------------------------------------------------------------------------------------------

    def serve(self, name: str, app: str, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
        port = _free_port()
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
            "--app-dir",
            str(HERE),
        ]
        log = (self.scratch / f"{name}.log").open("wb")
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchError(f"{name} exited at start:\n{self.log_tail(name)}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                if self.args.pin:
                    os.sched_setaffinity(process.pid, {1})
                return process, port
            except OSError:
                time.sleep(0.1)
        raise BenchError(f"{name} did not listen within 60 s:\n{self.log_tail(name)}")

    def follow_mail(self, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
        """Start ``guichet courriels --suivre`` with the app's environment: the process that sends the receipts when
        the app only queues them, at the priority ``--postman-nice`` gives it (as its service unit's ``Nice=``
        would)."""
        log = (self.scratch / "postman.log").open("wb")
        command = [sys.executable, "-m", "engine.cli", "courriels", "--suivre"]
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        if self.args.postman_nice:
            os.setpriority(os.PRIO_PROCESS, process.pid, self.args.postman_nice)
        if self.args.pin:
            os.sched_setaffinity(process.pid, {0})
        self.postman = process
        return process

    def log_tail(self, name: str) -> str:
        path = self.scratch / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-30:]) if path.exists() else ""

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        if process in self.processes:
            self.processes.remove(process)

    # -- databases ------------------------------------------------------------------------------------------------

    def create_postgres(self) -> str | None:
        import psycopg
        from psycopg import sql

        name = f"guichet_bench_{secrets.token_hex(6)}"
        try:
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as error:
            print(f"PostgreSQL injoignable ({POSTGRES_ADMIN}) : {error}".strip(), file=sys.stderr)
            return None
        self.databases.append(name)
        return POSTGRES_ADMIN.rsplit("/", 1)[0] + "/" + name

    def drop_postgres(self) -> None:
        import psycopg
        from psycopg import sql

        for name in self.databases:
            try:
                with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
                    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            except psycopg.Error as error:
                print(f"could not drop database {name}: {error}", file=sys.stderr)
        self.databases.clear()

    def cleanup(self) -> None:
        for process in list(self.processes):
            try:
                self.stop(process)
            except Exception as error:
                print(f"could not stop pid {process.pid}: {error}", file=sys.stderr)
        for engine in self.engines:
            engine.dispose()
        self.engines.clear()
        self.drop_postgres()
        shutil.rmtree(self.scratch, ignore_errors=True)

    # -- the load ----------------------------------------------------------------------------------------------

    def load(
        self,
        port: int,
        server_pid: int,
        request: str,
        *,
        warmup: float,
        duration: float,
        expect_status: int,
        expect_location: str | None = None,
        ids: list[str] | None = None,
    ) -> dict[str, Any]:
        spec = {
            "host": "127.0.0.1",
            "port": port,
            "server_pid": server_pid,
            "helper_pids": [self.postman.pid] if self.postman is not None else [],
            "request": request,
            "ids": ids,
            "warmup": warmup,
            "duration": duration,
            "connections": self.args.connections,
            "expect_status": expect_status,
            "expect_location": expect_location,
        }
        command = [sys.executable, str(Path(__file__).resolve()), "--client"]
        if self.args.pin:
            command = ["taskset", "-c", "0", *command]
        done = subprocess.run(
            command, input=json.dumps(spec).encode(), capture_output=True, timeout=warmup + duration + 120
        )
        if done.returncode != 0:
            raise BenchError(f"load generator failed:\n{done.stderr.decode(errors='replace')[-2000:]}")
        result: dict[str, Any] = json.loads(done.stdout)
        return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(port: int, cookie: str, path: str) -> bytes:
    """One GET through a fresh connection, the body only (to compare pages byte for byte)."""
    import httpx2 as httpx

    response = httpx.get(f"http://127.0.0.1:{port}{path}", cookies={"guichet": cookie}, timeout=30)
    if response.status_code != 200:
        raise BenchError(f"GET {path}: HTTP {response.status_code}")
    return response.content


def _request(method: str, port: int, path: str, cookie: str, body: str = "") -> str:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: guichet={cookie}\r\nAccept: text/html\r\n"
    if method == "POST":
        head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body.encode())}\r\n"
    return head + "\r\n" + body


def fill_a_draft(port: int) -> dict[str, str]:
    """Through the app, as a browser: the fiche (cookie, CSRF), « Faire la démarche », the 30 answers posted.

    Returns the owner's cookie, the CSRF token, the dossier id and the path of its step."""
    import httpx2 as httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=False, timeout=30) as http:
        fiche = http.get(f"/demarches/{SLUG}")
        found = re.search(r'name="csrf_token" value="([^"]+)"', fiche.text)
        if fiche.status_code != 200 or found is None:
            raise BenchError(f"fiche: HTTP {fiche.status_code}, CSRF token {'found' if found else 'missing'}")
        csrf = found.group(1)
        started = http.post(f"/demarches/{SLUG}/commencer", data={"csrf_token": csrf})
        if started.status_code != 303:
            raise BenchError(f"commencer: HTTP {started.status_code}")
        step = urlsplit(started.headers["location"]).path
        form = urlencode([*ANSWERS, ("csrf_token", csrf), ("action", "continuer")])
        posted = http.post(step, content=form, headers={"content-type": "application/x-www-form-urlencoded"})
        if posted.status_code != 303 or not posted.headers["location"].endswith("/recapitulatif"):
            errors = re.findall(r'<a href="#[^"]+">([^<]+)</a>', posted.text)[:5]
            raise BenchError(f"step POST: HTTP {posted.status_code}, {errors}")
        cookie = http.cookies["guichet"]
    return {"cookie": cookie, "csrf": csrf, "dossier_id": step.split("/")[2], "step": step}


def make_template(html: str, dossier_id: str, csrf: str, folder: Path) -> None:
    """The page (a) served, as a jinja2 template whose only variables are the dossier id and the CSRF token."""
    variables = {dossier_id: "{{ dossier_id }}", csrf: "{{ csrf_token }}"}
    pieces = re.split("(" + "|".join(re.escape(v) for v in variables) + ")", html)
    text = "".join(variables.get(p) or ("{% raw %}" + p + "{% endraw %}" if p else "") for p in pieces)
    (folder / "page.html").write_text(text, encoding="utf-8")


class Drafts:
    """Brouillons made through engine.services.start_draft, each with the answers of the draft filled over HTTP."""

    def __init__(self, run: Run, database_url: str, template_id: str) -> None:
        from datetime import date

        from engine.answers_json import from_json, to_json
        from engine.catalogue import load_file
        from engine.db import create_db_engine, session_scope
        from engine.storage import Dossier

        self.engine = create_db_engine(database_url)
        run.engines.append(self.engine)
        loaded = load_file(run.scratch / "catalogue" / f"{SLUG}.yaml", today=date.today())
        if loaded.entry is None:
            raise BenchError(f"fixture does not load: {loaded.diagnostics}")
        self.entry = loaded.entry
        with session_scope(self.engine) as session:
            filled = session.get(Dossier, template_id)
            assert filled is not None
            self.owner, answers, version = filled.owner, dict(filled.answers), filled.version
        if version != self.entry.version:
            raise BenchError("the app and the bench do not load the same version of the fixture")
        self.prefill = from_json(answers, self.entry.dispositif)
        if to_json(self.prefill) != answers:
            raise BenchError("answers do not survive from_json/to_json: the drafts would differ from the filled one")

    def make(self, count: int) -> list[str]:
        from engine.db import session_scope
        from engine.services import start_draft

        ids: list[str] = []
        while len(ids) < count:
            with session_scope(self.engine) as session:
                for _ in range(min(250, count - len(ids))):
                    ids.append(start_draft(session, self.entry, self.owner, prefill=self.prefill).id)
        return ids

    def submitted(self, ids: list[str]) -> int:
        from sqlmodel import col, func, select

        from engine.db import session_scope
        from engine.storage import Dossier

        with session_scope(self.engine) as session:
            query = select(func.count()).where(col(Dossier.id).in_(ids), col(Dossier.numero).is_not(None))
            return int(session.exec(query).one())

    def receipts(self, ids: list[str]) -> tuple[int, int]:
        """(queued, sent): the receipts of these dossiers in the outbox, and how many of them have gone."""
        from sqlmodel import col, func, select

        from engine.db import session_scope
        from engine.storage import OutboxMessage

        query = select(func.count(), func.count(col(OutboxMessage.sent_at))).where(
            col(OutboxMessage.dossier_id).in_(ids)
        )
        with session_scope(self.engine) as session:
            queued, sent = session.exec(query).one()
        return int(queued), int(sent)

    def wait_receipts(self, ids: list[str], seconds: float = 120.0) -> dict[str, Any]:
        """Wait until every receipt of these dossiers has gone (bounded): the load is over, the postman may still be
        sending. How many were queued and sent, and how long after the call the last one went."""
        started = time.perf_counter()
        while True:
            queued, sent = self.receipts(ids)
            if sent >= queued or time.perf_counter() - started > seconds:
                return {"queued": queued, "sent": sent, "lag": time.perf_counter() - started}
            time.sleep(0.05)

    def row_of(self, dossier_id: str) -> dict[str, Any]:
        """The columns of a dossier the app submitted and of its submission event, for the INSERT ceiling."""
        from sqlmodel import select

        from engine.db import session_scope
        from engine.storage import Dossier, DossierEvent

        with session_scope(self.engine) as session:
            dossier = session.get(Dossier, dossier_id)
            event = session.exec(
                select(DossierEvent)
                .where(DossierEvent.dossier_id == dossier_id, DossierEvent.to_state != None)  # noqa: E711
                .order_by(DossierEvent.id.desc())  # type: ignore[union-attr]
            ).first()
            assert dossier is not None and dossier.numero is not None and event is not None
            keep = ("dispositif", "version", "etat", "owner", "canal", "answers", "page", "revision")
            return {
                "dossier": {key: getattr(dossier, key) for key in keep},
                "event": {
                    "actor": event.actor,
                    "action": event.action,
                    "from_state": event.from_state,
                    "to_state": event.to_state,
                    "comment": event.comment,
                    "data": event.data,
                },
            }


def measure_backend(run: Run, backend: str, database_url: str, results: list[dict[str, Any]]) -> None:
    args = run.args
    home = run.scratch / backend
    home.mkdir()
    if backend == "postgresql":
        from engine.db import migrate

        migrate(database_url)  # production migrates by command; the app only migrates SQLite at start
    mail = args.mail if args.mail != "default" else ("separate" if backend == "postgresql" else "app")
    env = {
        "DATABASE_URL": database_url,
        "CATALOGUE_DIR": str(run.scratch / "catalogue"),
        "FILES_DIR": str(home / "pieces"),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "GUICHET_ENV": "development",
        "MAIL_DELIVERY": mail,
    }
    app, app_port = run.serve(f"app-{backend}", "engine.app:create_app", env, home)
    postman = run.follow_mail(env, home) if mail == "separate" else None
    _progress(
        f"[{backend}] app pid {app.pid} on :{app_port}"
        + (f", « guichet courriels --suivre » pid {postman.pid}" if postman else ", e-mails sent by the app")
        + "; filling a draft through the app"
    )
    filled = fill_a_draft(app_port)
    html = _get(app_port, filled["cookie"], filled["step"])
    if html != _get(app_port, filled["cookie"], filled["step"]) or b"Wakolo" not in html:
        raise BenchError("the step page is not stable from one GET to the next, or does not show the answers")

    template_dir = home / "ceiling"
    template_dir.mkdir()
    make_template(html.decode(), filled["dossier_id"], filled["csrf"], template_dir)
    config = {
        "template_dir": str(template_dir),
        "csrf_token": filled["csrf"],
        "database_url": database_url,
        "row_file": str(home / "row.json"),
    }
    (home / "ceiling.json").write_text(json.dumps(config), encoding="utf-8")
    ceiling, ceiling_port = run.serve(
        f"ceiling-{backend}", "form_http:ceiling_app", {"BENCH_CEILING": str(home / "ceiling.json")}, home
    )
    ceiling_path = f"/page/{filled['dossier_id']}"
    if _get(ceiling_port, filled["cookie"], ceiling_path) != html:
        raise BenchError("the ceiling template does not give the same bytes as the app's page")

    common = {"warmup": args.warmup, "duration": args.duration}
    if not args.skip_pages:
        _progress(f"[{backend}] (a) GET the 30-field step, {args.connections} connections")
        get_a = run.load(
            app_port, app.pid, _request("GET", app_port, filled["step"], filled["cookie"]), expect_status=200, **common
        )
        results.append({"backend": backend, "scenario": "a", **get_a})
        _progress(f"[{backend}] (b) ceiling: the same bytes from one jinja2 template")
        get_b = run.load(
            ceiling_port,
            ceiling.pid,
            _request("GET", ceiling_port, ceiling_path, filled["cookie"]),
            expect_status=200,
            **common,
        )
        results.append({"backend": backend, "scenario": "b", **get_b})

        if args.profile:
            profile(
                run,
                app,
                app_port,
                f"get_step_{backend}",
                _request("GET", app_port, filled["step"], filled["cookie"]),
                expect_status=200,
            )

    # (c): a pool of drafts for the warm-up, whose rate sizes the pool of the measure (bounded by --max-drafts).
    drafts = Drafts(run, database_url, filled["dossier_id"])
    body = urlencode({"csrf_token": filled["csrf"], "declaration": "oui"})
    post = _request("POST", app_port, "/dossiers/{id}/envoyer", filled["cookie"], body)
    started = time.perf_counter()
    warm_ids = drafts.make(args.warm_drafts)
    _progress(
        f"[{backend}] {len(warm_ids)} drafts made through engine.services in "
        f"{time.perf_counter() - started:.1f} s; (c) submission warm-up"
    )
    warm = run.load(
        app_port,
        app.pid,
        post,
        warmup=0,
        duration=args.warmup,
        ids=warm_ids,
        expect_status=303,
        expect_location="/recepisse",
    )
    if warm["errors"]:
        raise BenchError(f"submissions failed during the warm-up: {warm['error_kinds']}")
    wanted = min(args.max_drafts, int(warm["rate"] * args.duration * 1.6) + 300)
    started = time.perf_counter()
    ids = drafts.make(wanted)
    warm_receipts = drafts.wait_receipts(warm_ids)  # the warm-up's receipts must not be sent during the measure
    if warm_receipts["sent"] < warm_receipts["queued"]:
        raise BenchError(f"warm-up receipts not sent: {warm_receipts}\n{run.log_tail('postman')}")
    _progress(f"[{backend}] {len(ids)} drafts made in {time.perf_counter() - started:.1f} s; (c) submission measure")
    submit_c = run.load(
        app_port,
        app.pid,
        post,
        warmup=0,
        duration=args.duration,
        ids=ids,
        expect_status=303,
        expect_location="/recepisse",
    )
    stored = drafts.submitted(ids)
    submit_c["stored"] = stored
    if stored < submit_c["count"] - submit_c["errors"]:
        raise BenchError(f"{submit_c['count']} submissions answered, only {stored} dossiers submitted")
    # Not hidden work: every receipt of the measure is checked to have gone, and how long after the load.
    receipts = drafts.wait_receipts(ids)
    by = f"guichet courriels --suivre (nice {args.postman_nice})" if postman else "the app"
    submit_c["receipts"] = {**receipts, "by": by}
    if receipts["queued"] < stored or receipts["sent"] < receipts["queued"]:
        raise BenchError(f"{stored} dossiers submitted, receipts {receipts}\n{run.log_tail('postman')}")
    results.append({"backend": backend, "scenario": "c", **submit_c})
    if args.profile:
        profile(
            run,
            app,
            app_port,
            f"submit_{backend}",
            post,
            ids=drafts.make(min(len(ids), 3000)),
            expect_status=303,
            expect_location="/recepisse",
        )

    if postman is not None:
        run.stop(postman)  # SIGTERM, as a service manager stops it: it must finish its batch and exit cleanly
        run.postman = None
        if postman.returncode != 0:
            raise BenchError(f"guichet courriels --suivre exited with {postman.returncode}:\n{run.log_tail('postman')}")

    (home / "row.json").write_text(json.dumps(drafts.row_of(ids[0]), default=str), encoding="utf-8")
    _progress(f"[{backend}] (d) ceiling: a bare INSERT of the same dossier row and event")
    insert_d = run.load(
        ceiling_port,
        ceiling.pid,
        _request("POST", ceiling_port, "/insert", filled["cookie"], body),
        expect_status=303,
        expect_location="/recepisse",
        **common,
    )
    results.append({"backend": backend, "scenario": "d", **insert_d})
    _progress(f"[{backend}] (d') the same INSERT in a plain def endpoint (starlette's thread pool)")
    insert_pool = run.load(
        ceiling_port,
        ceiling.pid,
        _request("POST", ceiling_port, "/insert-threadpool", filled["cookie"], body),
        expect_status=303,
        expect_location="/recepisse",
        **common,
    )
    results.append({"backend": backend, "scenario": "d2", **insert_pool})
    run.stop(app)
    run.stop(ceiling)


def profile(
    run: Run,
    app: subprocess.Popen[bytes],
    port: int,
    name: str,
    request: str,
    *,
    expect_status: int,
    expect_location: str | None = None,
    ids: list[str] | None = None,
) -> None:
    """An extra run of a scenario under ``py-spy record`` (raw collapsed stacks), summarised by function."""
    out = Path(run.args.profile).resolve()
    out.mkdir(parents=True, exist_ok=True)
    py_spy = shutil.which("py-spy")
    if py_spy is None:
        print("--profile: py-spy is not installed (pip install py-spy)", file=sys.stderr)
        return
    seconds = max(3, int(run.args.duration))
    raw = out / f"{name}.collapsed.txt"
    _progress(f"profiling {name} for {seconds} s with py-spy → {raw}")
    command = [
        py_spy,
        "record",
        "-p",
        str(app.pid),
        "-d",
        str(seconds + 2),
        "-r",
        "250",
        "--format",
        "raw",
        "-o",
        str(raw),
    ]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    run.processes.append(spy)
    time.sleep(1)
    run.load(
        port,
        app.pid,
        request,
        warmup=0,
        duration=seconds,
        ids=ids,
        expect_status=expect_status,
        expect_location=expect_location,
    )
    try:
        spy.wait(30)
    except subprocess.TimeoutExpired:
        pass
    problem = spy.stderr.read().decode(errors="replace") if spy.stderr and spy.poll() is not None else ""
    run.stop(spy)
    if not raw.exists():
        print(f"py-spy wrote nothing: {problem}", file=sys.stderr)
        return
    summary = summarise_profile(raw.read_text(encoding="utf-8", errors="replace"), name)
    (out / f"{name}.summary.txt").write_text(summary, encoding="utf-8")
    run.profiles.append(summary)


_IDLE = ("Condition.wait", "Queue.get", "Event.wait", "Thread.join")
_PLUMBING = (
    "uvicorn/",
    "click/",
    "<frozen runpy>",
    "asyncio/",
    "threading.py",
    "starlette/middleware/",
    "starlette/routing.py",
    "starlette/applications.py",
    "starlette/_exception_handler.py",
    "engine/web/security.py",
    "engine/web/limits.py",
)
"""Frames on every request's stack (server, middleware chain): left out of the inclusive list."""


def summarise_profile(collapsed: str, name: str, top: int = 40) -> str:
    """Share of the samples per function (line numbers merged), from py-spy's collapsed stacks; the frames every
    request goes through (uvicorn, the middleware chain) are left out of the inclusive list."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [
            re.sub(r":\d+\)$", ")", re.sub(r" \(.*?/(site-packages|lib/python3\.\d+)/", " (", f)).replace(
                f"{ROOT}/", ""
            )
            for f in stack.split(";")
            if not f.startswith(("process ", "thread "))
        ]
        if not frames or (frames[-1].startswith(_IDLE) and any("WorkerThread.run" in f for f in frames)):
            continue  # an idle thread of the pool (the receipt e-mail goes through run_in_threadpool)
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    if not total:
        return f"{name}: no samples"
    lines = [
        f"{name}: {total} py-spy samples of the server (idle pool threads left out); % of samples with the "
        "function on the stack:"
    ]
    shown = [(frame, n) for frame, n in inclusive.most_common() if not frame.split(" (", 1)[-1].startswith(_PLUMBING)]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in shown[:top]]
    lines.append(f"{name}: self time (the function itself running):")
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(top // 2)]
    return "\n".join(lines)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------------------------

LABELS = {
    "a": "(a) GET 30-field step (app)",
    "b": "(b) ceiling: same HTML, jinja2",
    "c": "(c) POST submission (app)",
    "d": "(d) ceiling: bare INSERT",
    "d2": "(d') same INSERT, threadpool",
}


def _revision() -> str:
    """The commit measured, and how many files of the app differ from it (others may be editing them)."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "engine", "renderers", "forms"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown revision"
    changed = len(dirty.stdout.splitlines())
    return f"revision {head.stdout.strip()}" + (
        f" + {changed} changed file(s) in engine/ renderers/ forms/" if changed else ""
    )


def report(results: list[dict[str, Any]], args: argparse.Namespace, skipped: list[str]) -> str:
    ms = 1000.0
    out = [
        "",
        f"{_revision()}",
        f"Guichet bench/form_http.py — {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.2f} at the end, "
        f"Python {sys.version.split()[0]}; uvicorn 1 worker --loop uvloop --http httptools; "
        f"{args.connections} keep-alive connections from another process; warm-up {args.warmup:g} s, "
        f"measure {args.duration:g} s",
        "",
        f"{'scenario':<32} {'db':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>7} {'n':>7} "
        f"{'err':>4} {'srv CPU':>8} {'req/CPU-s':>9} {'client':>7} {'mail':>5} {'other':>6}",
    ]
    for r in results:
        srv = r["server_cpu"] / r["elapsed"] if r["elapsed"] else 0.0
        client = r["client_cpu"] / r["elapsed"] if r["elapsed"] else 0.0
        mail = r.get("helper_cpu", 0.0) / r["elapsed"] if r["elapsed"] else 0.0
        other = max(0.0, r["machine_cores"] - srv - client - mail)
        per_cpu = r["count"] / r["server_cpu"] if r["server_cpu"] else math.nan
        out.append(
            f"{LABELS[r['scenario']]:<32} {r['backend']:<10} {r['rate']:>8.0f} {r['p50'] * ms:>8.1f} "
            f"{r['p99'] * ms:>8.1f} {r['bytes']:>7} {r['count']:>7} {r['errors']:>4} {srv:>7.0%} {per_cpu:>9.0f} "
            f"{client:>6.0%} {mail:>5.0%} {other:>5.2f}c"
            + (f"  (drafts used up: {r['elapsed']:.1f} s measured)" if r.get("exhausted") else "")
        )
    out.append("  srv CPU, client, mail: share of one core used by the server, by the load generator, by the")
    out.append(
        "  « guichet courriels --suivre » process (MAIL_DELIVERY=separate); req/CPU-s: requests per second of server"
    )
    out.append("  CPU; other: cores used meanwhile by everything else (PostgreSQL, other work).")
    out.append("")
    by = {(r["backend"], r["scenario"]): r for r in results}
    for backend in dict.fromkeys(r["backend"] for r in results):
        a, b, c, d, d2 = (by.get((backend, s)) for s in ("a", "b", "c", "d", "d2"))
        if a and b:
            verdict = "met" if a["rate"] / b["rate"] >= 0.70 else "NOT met"
            out.append(
                f"[{backend}] (a)/(b) page rate: {a['rate'] / b['rate']:.2f} (target ≥ 0.70: {verdict}); "
                f"per server CPU-second: {(a['count'] / a['server_cpu']) / (b['count'] / b['server_cpu']):.2f}"
            )
        if c and d:
            target = ""
            if backend == "postgresql":
                target = f" (target p99 < 50 ms on PostgreSQL: {'met' if c['p99'] < 0.050 else 'NOT met'})"
            out.append(
                f"[{backend}] (c)/(d) submission rate: {c['rate'] / d['rate']:.2f}; p99 {c['p99'] * ms:.1f} ms "
                f"vs ceiling {d['p99'] * ms:.1f} ms = ×{c['p99'] / d['p99']:.1f}{target}"
            )
        if c and c.get("receipts"):
            r = c["receipts"]
            out.append(
                f"[{backend}] (c) receipts: {r['queued']} queued with the {c['stored']} dossiers submitted, "
                f"{r['sent']} sent by {r['by']}, the last {r['lag']:.1f} s after the load ended"
            )
        if d and d2:
            out.append(
                f"[{backend}] (d') the INSERT off the event loop: {d2['rate']:.0f} req/s, p99 {d2['p99'] * ms:.1f} ms "
                f"(vs {d['rate']:.0f} req/s, p99 {d['p99'] * ms:.1f} ms on the loop, as the app does)"
            )
    a = by.get(("sqlite", "a")) or by.get(("postgresql", "a"))
    b = by.get(("sqlite", "b")) or by.get(("postgresql", "b"))
    if a and b:
        goal = GOAL_FACTOR * XGOV
        out += [
            "",
            "Scale (issue 3's reference numbers were measured elsewhere: compare orders of magnitude, not digits;",
            "this machine is shared, see the 'other' column):",
            f"  (a) {a['rate']:.0f} req/s on one worker = ×{a['rate'] / XGOV:.2f} XGovFormBuilder's form runner "
            f"({XGOV_RANGE[0]}–{XGOV_RANGE[1]} req/s, ~17 KB page); goal ≥ {GOAL_FACTOR} × {XGOV} = {goal:,} req/s "
            f"per core: {'met' if a['rate'] >= goal else 'NOT met'} ({a['bytes'] / 1024:.1f} KB page here)",
            f"  (b) here {b['rate']:.0f} req/s for the same {b['bytes'] / 1024:.1f} KB page; the issue's bare "
            f"starlette+jinja2 does {BARE_REFERENCE[1]:,} req/s for ~17 KB (uvloop+httptools): this machine with this "
            f"page runs at ×{b['rate'] / BARE_REFERENCE[1]:.2f} of that reference",
            f"  (a) brought to the reference machine through the ceiling: (a)/(b) × {BARE_REFERENCE[1]:,} = "
            f"{a['rate'] / b['rate'] * BARE_REFERENCE[1]:.0f} req/s (goal {goal:,})",
        ]
    for r in results:
        if r["errors"]:
            out.append(f"  errors in {LABELS[r['scenario']]} [{r['backend']}]: {r['error_kinds']}")
    out += ["", *skipped] if skipped else []
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per scenario (5)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario (10)")
    parser.add_argument("--connections", type=int, default=20, help="concurrent keep-alive connections (20)")
    parser.add_argument("--warm-drafts", type=int, default=1500, help="drafts for the submission warm-up (1500)")
    parser.add_argument("--max-drafts", type=int, default=12000, help="at most this many drafts measured (12000)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--mail",
        choices=("default", "app", "separate"),
        default="default",
        help="who sends the receipts: the app itself (MAIL_DELIVERY=app), or « guichet courriels --suivre » beside "
        "it (separate); default: the app on SQLite (the development default), separate on PostgreSQL (production)",
    )
    parser.add_argument(
        "--postman-nice",
        type=int,
        default=10,
        metavar="N",
        help="niceness of « guichet courriels --suivre » (10: e-mail can wait, a usager cannot, as a service unit's "
        "Nice=10 would say; 0: the app's priority)",
    )
    parser.add_argument("--skip-pages", action="store_true", help="only the submission scenarios (c), (d), (d')")
    parser.add_argument("--pin", action="store_true", help="server on CPU 1, load generator on CPU 0")
    parser.add_argument("--profile", metavar="DIR", help="also profile the server during an extra (a) with py-spy")
    parser.add_argument("--quick", action="store_true", help="1 s warm-up, 2 s measure: a smoke test")
    args = parser.parse_args()
    if args.client:
        client_main()
        return 0
    if args.quick:
        args.warmup, args.duration, args.warm_drafts = 1.0, 2.0, 300

    def terminated(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminated)
    sys.path.insert(0, str(ROOT))
    run = Run(args)
    results: list[dict[str, Any]] = []
    skipped: list[str] = []
    try:
        (run.scratch / "catalogue").mkdir()
        shutil.copy(FIXTURE, run.scratch / "catalogue" / FIXTURE.name)
        if args.no_sqlite:
            skipped.append("SQLite: not run (--no-sqlite)")
        else:
            measure_backend(run, "sqlite", f"sqlite:///{run.scratch / 'guichet.db'}", results)
        if args.no_postgres:
            skipped.append("PostgreSQL: not run (--no-postgres)")
        else:
            url = run.create_postgres()
            if url is None:
                skipped.append(f"PostgreSQL: skipped, {POSTGRES_ADMIN} unreachable")
            else:
                measure_backend(run, "postgresql", url, results)
        print(report(results, args, skipped))
        for summary in run.profiles:
            print("\n" + summary)
        return 0
    except (BenchError, subprocess.TimeoutExpired) as error:
        if results:
            print(report(results, args, skipped))
        print(f"\nbench failed: {error}", file=sys.stderr)
        for name in sorted(p.stem for p in run.scratch.glob("*.log")):
            print(f"--- {name}.log ---\n{run.log_tail(name)}", file=sys.stderr)
        return 1
    finally:
        run.cleanup()


if __name__ == "__main__":
    sys.exit(main())
