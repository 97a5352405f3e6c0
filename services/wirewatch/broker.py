"""The local Kafka broker: Apache Kafka 4.1.1 in KRaft mode, run from Maven Central jars.

No Docker and no tarball: ``deploy/kafka/pom.xml`` names the broker's jars, Maven copies them
into ``<cache_dir>/kafka-libs`` once, and the broker runs as ``java -cp 'libs/*' kafka.Kafka``.
One process is both broker and controller (node 1), PLAINTEXT on 127.0.0.1:9092 and the
controller on 127.0.0.1:9093. Its state lives under ``<state_dir>/kafka``::

    data/               the log dirs (formatted once with StorageTool; meta.properties marks it)
    logs/server.log     the broker's log; ``start`` waits for "Kafka Server started" in it
    logs/kafka.out      the JVM's own stdout/stderr (crashes, bad flags)
    server.properties   rendered from deploy/kafka/server.properties on every start
    broker.pid

When ``WIREWATCH_KAFKA_BOOTSTRAP`` names a broker (``settings.external_broker``), start and stop
leave it alone and status only checks that it answers.

Use it as ``wirewatch broker start|stop|status`` or ``python -m wirewatch.broker ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from string import Template

from wirewatch.config import PROJECT_ROOT, Settings

KAFKA_VERSION = "4.1.1"
HOST = "127.0.0.1"
PORT = 9092
CONTROLLER_PORT = 9093
NODE_ID = 1
LOCAL_BOOTSTRAP = f"{HOST}:{PORT}"
STARTED_MARKER = "Kafka Server started"
JVM_HEAP = ["-Xms256m", "-Xmx512m"]
# Tuned for the machine it shares with the model, not for peak broker throughput: the broker's
# own CPU is taken from the workers on a small host. C1 only (TieredStopAtLevel=1) and the serial
# collector cut its CPU at 20 msg/s from 0.12-0.26 cores (C2 compiling for minutes, G1's
# threads) to 0.07-0.10, and idle from 0.042 to 0.028 (README, "Measured").
# A local broker at a few hundred messages a second never needs C2's code.
JVM_OPTS = [
    "-XX:TieredStopAtLevel=1",
    "-XX:+UseSerialGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
]
RECIPE_DIR = PROJECT_ROOT / "deploy" / "kafka"
STAMP = ".wirewatch-complete"


class BrokerError(RuntimeError):
    """Something the user can act on went wrong with the local broker."""


def _say(msg: str) -> None:
    print(f"broker: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- paths


def _kafka_dir(settings: Settings) -> Path:
    return settings.state_dir / "kafka"


def _libs_dir(settings: Settings) -> Path:
    return settings.cache_dir / "kafka-libs"


def _pid_file(settings: Settings) -> Path:
    return _kafka_dir(settings) / "broker.pid"


def log_file(settings: Settings) -> Path:
    """The broker's main log, the one to read when something went wrong."""
    return _kafka_dir(settings) / "logs" / "server.log"


def _recipe(name: str) -> Path:
    path = RECIPE_DIR / name
    if not path.is_file():
        raise BrokerError(
            f"{path} is missing: the local broker needs a wirewatch checkout "
            "(deploy/kafka/). Or point WIREWATCH_KAFKA_BOOTSTRAP at a running broker."
        )
    return path


# --------------------------------------------------------------------------- jars


def ensure_jars(settings: Settings) -> Path:
    """Make sure the broker's jars are in ``<cache_dir>/kafka-libs``; return that directory.

    Quick and offline when done before: a stamp file holds a hash of pom.xml, and a matching
    stamp means nothing to do. Otherwise Maven copies the jars (from ~/.m2 when it has them)
    into a fresh directory that replaces the old one only when complete.
    """
    pom = _recipe("pom.xml")
    libs = _libs_dir(settings)
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    stamp = libs / STAMP
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return libs

    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError(
            "Maven (mvn) is not on PATH; the local broker's jars come from Maven Central. "
            "Install Maven 3.8+ (e.g. `apt-get install maven`), or set WIREWATCH_KAFKA_BOOTSTRAP "
            "to use a broker you already run."
        )
    _say(f"fetching Kafka {KAFKA_VERSION} jars from Maven Central into {libs} (once)...")
    libs.parent.mkdir(parents=True, exist_ok=True)
    tmp = libs.with_name(libs.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={tmp}",
        "-DincludeScope=runtime",
    ]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        output = (proc.stdout + proc.stderr).strip().splitlines()
        raise BrokerError(
            "Maven could not fetch the Kafka jars (network to Maven Central?). Last output:\n"
            + "\n".join(output[-15:])
        )
    if not any(tmp.glob("kafka_2.13-*.jar")):
        shutil.rmtree(tmp, ignore_errors=True)
        raise BrokerError(f"Maven finished but {tmp} has no kafka_2.13 jar; see {pom}")
    (tmp / STAMP).write_text(digest + "\n")
    shutil.rmtree(libs, ignore_errors=True)
    tmp.rename(libs)
    count = sum(1 for _ in libs.glob("*.jar"))
    _say(f"{count} jars ready in {time.monotonic() - started:.0f} s")
    return libs


# --------------------------------------------------------------------------- reachability


async def _metadata_ok(bootstrap: str, timeout: float) -> bool:
    from aiokafka import AIOKafkaClient

    ms = max(1000, int(timeout * 1000))
    client = AIOKafkaClient(
        bootstrap_servers=bootstrap, request_timeout_ms=ms, connections_max_idle_ms=ms + 1000
    )
    try:
        # bootstrap() sends a MetadataRequest and raises if no bootstrap server answers it.
        await asyncio.wait_for(client.bootstrap(), timeout)
        return bool(client.cluster.brokers())
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            await client.close()


def _port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _split(bootstrap: str) -> tuple[str, int]:
    first = bootstrap.split(",")[0].strip()
    if "://" in first:
        first = first.split("://", 1)[1]
    host, _, port = first.rpartition(":")
    return (host.strip("[]") or "localhost"), int(port or 9092)


def is_reachable(bootstrap: str, timeout: float = 5.0) -> bool:
    """True when a Kafka broker at ``bootstrap`` answers a metadata request within ``timeout``.

    Safe to call from inside a running event loop (it then runs on a helper thread).
    """
    servers = [s.strip() for s in bootstrap.split(",") if s.strip()]
    if not servers:
        return False
    # Cheap TCP check first: a closed port should cost milliseconds, not a client start-up.
    if not any(_port_open(*_split(s), timeout=min(timeout, 1.0)) for s in servers):
        return False

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_metadata_ok(bootstrap, timeout))

    result: list[bool] = [False]

    def run() -> None:
        result[0] = asyncio.run(_metadata_ok(bootstrap, timeout))

    thread = threading.Thread(target=run, name="wirewatch-broker-probe", daemon=True)
    thread.start()
    thread.join(timeout + 2.0)
    return result[0]


# --------------------------------------------------------------------------- process


def _pid_alive(pid: int) -> bool:
    # Reap it if it is our own child that already exited (else it lingers as a zombie).
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        # "pid (comm) S ..." – state Z is a zombie: dead for our purposes.
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _is_our_broker(pid: int) -> bool:
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        with contextlib.suppress(OSError):
            return b"kafka.Kafka" in cmdline.read_bytes()
    return True  # no /proc (macOS): trust the pid file


def _running_pid(settings: Settings) -> int | None:
    """Pid of the broker we started, if it is still running; clears a stale pid file."""
    pid_file = _pid_file(settings)
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if _pid_alive(pid) and _is_our_broker(pid):
        return pid
    pid_file.unlink(missing_ok=True)
    return None


def local_pid(settings: Settings) -> int | None:
    """Pid of the local broker this project started, None if it is not running (or external)."""
    return None if settings.external_broker else _running_pid(settings)


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    candidates = [str(Path(home) / "bin" / "java")] if home else []
    candidates.append(shutil.which("java") or "")
    for java in candidates:
        if java and os.access(java, os.X_OK):
            break
    else:
        raise BrokerError(
            "java is not on PATH; the local Kafka broker needs Java 17 or newer. "
            "Install OpenJDK 17 (e.g. `apt-get install openjdk-17-jre-headless`), "
            "or set WIREWATCH_KAFKA_BOOTSTRAP to use a broker you already run."
        )
    proc = subprocess.run([java, "-version"], capture_output=True, text=True)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if match:
        major = int(match.group(1))
        if major == 1 and match.group(2):  # "1.8.0" style
            major = int(match.group(2))
        if major < 17:
            raise BrokerError(
                f"{java} is Java {major}; Kafka {KAFKA_VERSION} needs Java 17 or newer. "
                "Install OpenJDK 17 and put it first on PATH (or set JAVA_HOME)."
            )
    return java


def _local(settings: Settings) -> str:
    """This machine's broker address; the port follows WIREWATCH_BROKER_PORT."""
    return f"{HOST}:{settings.broker_port}"


def render_config(settings: Settings) -> Path:
    """Write ``<state_dir>/kafka/server.properties`` from the template; return its path."""
    kafka_dir = _kafka_dir(settings)
    data = kafka_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    (kafka_dir / "logs").mkdir(parents=True, exist_ok=True)
    template = Template(_recipe("server.properties").read_text())
    text = template.substitute(
        data_dir=str(data),
        host=HOST,
        port=settings.broker_port,
        controller_port=settings.broker_port + 1,
        node_id=NODE_ID,
        partitions=settings.partitions,
    )
    out = kafka_dir / "server.properties"
    out.write_text(text)
    return out


def _jvm_base(java: str, settings: Settings, libs: Path) -> list[str]:
    return [
        java,
        *JVM_HEAP,
        *JVM_OPTS,
        f"-Dkafka.logs.dir={_kafka_dir(settings) / 'logs'}",
        f"-Dlog4j2.configurationFile={_recipe('log4j2.yaml')}",
        "-cp",
        f"{libs}{os.sep}*",
    ]


def _new_cluster_id() -> str:
    # Kafka's Uuid text form: 16 bytes, URL-safe base64 without padding (what random-uuid prints).
    # Like Kafka's Uuid.randomUuid, never one starting with "-": the storage tool's argument
    # parser reads "--cluster-id -Ypm..." as a missing value (1 fresh format in 64 failed so).
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def _format_storage(java: str, settings: Settings, libs: Path, config: Path) -> None:
    data = _kafka_dir(settings) / "data"
    if (data / "meta.properties").exists():
        return
    cluster_id = _new_cluster_id()
    _say(f"formatting storage in {data} (cluster id {cluster_id})")
    cmd = [
        *_jvm_base(java, settings, libs),
        "kafka.tools.StorageTool",
        "format",
        "--standalone",
        "--cluster-id",
        cluster_id,
        "--config",
        str(config),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BrokerError(
            f"formatting the broker storage in {data} failed:\n"
            + (proc.stdout + proc.stderr).strip()[-2000:]
            + "\nIf the directory is from another Kafka version, `wirewatch broker reset` wipes it."
        )


def _tail(path: Path, lines: int = 20) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return "(no log yet)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def _log_says_started(path: Path) -> bool:
    try:
        return STARTED_MARKER in path.read_text(errors="replace")
    except OSError:
        return False


def _wait_ready(settings: Settings, pid: int, deadline: float, check_log: bool) -> None:
    log = log_file(settings)
    out = log.with_name("kafka.out")
    seen_log = not check_log
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            _pid_file(settings).unlink(missing_ok=True)
            raise BrokerError(
                f"the broker exited during start-up. Last lines of {log}:\n{_tail(log)}"
                + (
                    f"\n\nJVM output ({out}):\n{_tail(out, 10)}"
                    if out.exists() and out.stat().st_size
                    else ""
                )
                + "\nIf its data directory is stale or from another Kafka, `wirewatch broker start --clean` wipes it."
            )
        seen_log = seen_log or _log_says_started(log)
        if seen_log and is_reachable(_local(settings), timeout=3.0):
            return
        time.sleep(0.5)
    raise BrokerError(
        f"the broker (pid {pid}) was not ready in time: "
        + (
            "its log never said " + repr(STARTED_MARKER)
            if not seen_log
            else "it does not answer metadata requests"
        )
        + f". It may still be starting; `wirewatch broker status` checks, `wirewatch broker stop` stops it.\n"
        f"Last lines of {log}:\n{_tail(log)}"
    )


# --------------------------------------------------------------------------- public API


def start(settings: Settings, timeout: float = 90.0) -> str:
    """Start the local broker (or find it running) and wait until it serves; return bootstrap.

    With an external broker (``WIREWATCH_KAFKA_BOOTSTRAP``) nothing is started.
    """
    if settings.external_broker:
        _say(
            f"using the broker named by WIREWATCH_KAFKA_BOOTSTRAP ({settings.bootstrap}); not starting one"
        )
        return settings.bootstrap

    deadline = time.monotonic() + timeout
    pid = _running_pid(settings)
    if pid is not None:
        if is_reachable(_local(settings), timeout=3.0):
            _say(f"already running (pid {pid}) at {_local(settings)}")
            return _local(settings)
        _say(f"already starting (pid {pid}); waiting for it")
        _wait_ready(settings, pid, deadline, check_log=False)
        return _local(settings)

    for port in (settings.broker_port, settings.broker_port + 1):
        if _port_open(HOST, port):
            hint = (
                "A Kafka broker that wirewatch did not start answers there; to use it, "
                f"set WIREWATCH_KAFKA_BOOTSTRAP={_local(settings)}."
                if port == settings.broker_port and is_reachable(_local(settings), timeout=3.0)
                else "Stop whatever uses it (`ss -ltnp` shows the process)."
            )
            raise BrokerError(f"port {HOST}:{port} is already in use by another process. {hint}")

    java = _java()
    libs = ensure_jars(settings)
    config = render_config(settings)
    log = log_file(settings)
    if log.exists():  # server.log holds this run only; the previous one is kept beside it
        log.replace(log.with_name("server.log.prev"))
    _format_storage(java, settings, libs, config)

    out = log.with_name("kafka.out")
    cmd = [*_jvm_base(java, settings, libs), "kafka.Kafka", str(config)]
    _say(f"starting Kafka {KAFKA_VERSION} at {_local(settings)} (log: {log})")
    started = time.monotonic()
    with out.open("wb") as out_fh:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out_fh,
            stderr=subprocess.STDOUT,
            cwd=_kafka_dir(settings),
            start_new_session=True,  # outlives this command and ignores its Ctrl-C
        )
    _pid_file(settings).write_text(f"{proc.pid}\n")
    # The broker is meant to outlive this Popen; tell it so it does not warn when collected.
    proc.returncode = 0
    _wait_ready(settings, proc.pid, deadline, check_log=True)
    _say(f"ready in {time.monotonic() - started:.1f} s (pid {proc.pid})")
    return _local(settings)


def stop(settings: Settings, timeout: float = 30.0) -> None:
    """Stop the local broker: SIGTERM (clean shutdown), then SIGKILL after ``timeout`` s."""
    if settings.external_broker:
        _say(
            f"the broker at {settings.bootstrap} is external (WIREWATCH_KAFKA_BOOTSTRAP); not stopping it"
        )
        return
    pid = _running_pid(settings)
    if pid is None:
        _say("not running")
        return
    _say(f"stopping pid {pid}...")
    started = time.monotonic()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    while _pid_alive(pid) and time.monotonic() - started < timeout:
        time.sleep(0.2)
    if _pid_alive(pid):
        _say(f"no clean exit after {timeout:.0f} s; killing it")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while _pid_alive(pid) and time.monotonic() - started < timeout + 5:
            time.sleep(0.1)
    _pid_file(settings).unlink(missing_ok=True)
    _say(f"stopped in {time.monotonic() - started:.1f} s")


def reset(settings: Settings) -> None:
    """Stop the local broker and delete its data (topics, offsets, cluster id) and logs."""
    if settings.external_broker:
        raise BrokerError(
            "WIREWATCH_KAFKA_BOOTSTRAP names an external broker; reset only wipes the local one"
        )
    stop(settings)
    kafka_dir = _kafka_dir(settings)
    for name in ("data", "logs"):
        shutil.rmtree(kafka_dir / name, ignore_errors=True)
    _say(f"wiped {kafka_dir / 'data'} and {kafka_dir / 'logs'}")


def status(settings: Settings) -> dict:
    """Where the broker is and whether it answers.

    Keys: ``running`` (a broker serves at ``bootstrap``: ours is alive and answers, or the
    external one answers), ``pid`` (ours, else None), ``bootstrap``, ``external``,
    ``reachable`` (metadata request succeeded), ``log`` (path, local broker only).
    """
    if settings.external_broker:
        reachable = is_reachable(settings.bootstrap, timeout=5.0)
        return {
            "running": reachable,
            "pid": None,
            "bootstrap": settings.bootstrap,
            "external": True,
            "reachable": reachable,
            "log": None,
        }
    pid = _running_pid(settings)
    reachable = is_reachable(_local(settings), timeout=3.0)
    return {
        "running": pid is not None and reachable,
        "pid": pid,
        "bootstrap": _local(settings),
        "external": False,
        "reachable": reachable,
        "log": str(log_file(settings)),
    }


def _print_status(info: dict) -> int:
    where = "external " if info["external"] else ""
    if info["running"]:
        pid = f", pid {info['pid']}" if info["pid"] else ""
        print(f"running: {where}broker at {info['bootstrap']}{pid}")
        return 0
    if info["pid"]:
        print(
            f"starting (not answering yet): pid {info['pid']}, {info['bootstrap']}; log {info['log']}"
        )
    elif info["reachable"]:
        print(f"not running (wirewatch's); another broker answers at {info['bootstrap']}")
    else:
        print(f"not running: no {where}broker at {info['bootstrap']}")
    return 1


def main(argv: list[str] | None = None) -> int:
    """``python -m wirewatch.broker start|stop|status|reset|jars``."""
    parser = argparse.ArgumentParser(prog="wirewatch broker", description="The local Kafka broker.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start it and wait until it serves")
    p_start.add_argument("--timeout", type=float, default=90.0, help="seconds to wait (default 90)")
    p_start.add_argument("--clean", action="store_true", help="wipe its data first")
    sub.add_parser("stop", help="stop it cleanly")
    sub.add_parser("status", help="running or not, pid, bootstrap (exit 1 when not running)")
    sub.add_parser("reset", help="stop it and wipe its data and logs")
    sub.add_parser("jars", help="fetch the broker's jars from Maven Central (once)")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    try:
        if args.command == "start":
            if args.clean:
                reset(settings)
            print(start(settings, timeout=args.timeout))
        elif args.command == "stop":
            stop(settings)
        elif args.command == "status":
            return _print_status(status(settings))
        elif args.command == "reset":
            reset(settings)
        elif args.command == "jars":
            print(ensure_jars(settings))
    except BrokerError as exc:
        print(f"broker: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
