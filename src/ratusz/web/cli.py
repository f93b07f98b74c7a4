"""CLI commands of the web app: `ratusz serve` runs the site with a production server (gunicorn)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import typer
from rich.console import Console

from ratusz.errors import RatuszError

err = Console(stderr=True)


def default_workers() -> int:
    """Return the default number of gunicorn worker processes: 2 × CPU cores + 1, at most 9."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def check_port_free(host: str, port: int) -> None:
    """Raise RatuszError with one sentence when the address cannot be bound; returns None otherwise."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host.strip("[]"), port))
        except OSError as exc:
            raise RatuszError(
                f"Nie można nasłuchiwać na {host}:{port} ({exc.strerror}); port jest zajęty albo adres "
                "jest niepoprawny: wybierz inny, np. `ratusz serve --port 8001`."
            ) from None


def pending_migrations() -> int:
    """Return how many migrations are not yet applied to the configured database."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def serve(host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    """Run the site under gunicorn until interrupted (static files through whitenoise). Returns None."""
    from django.conf import settings
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    if workers < 1 or threads < 1:
        raise RatuszError("--workers i --threads muszą być co najmniej 1, np. `ratusz serve --workers 3`.")
    if not 0 < port < 65536:
        raise RatuszError(f"Port {port} jest spoza zakresu 1–65535; podaj np. `--port 8000`.")
    check_port_free(host, port)
    try:
        missing = pending_migrations()
    except Exception as exc:  # an unreachable database: say so instead of serving 500s
        raise RatuszError(
            f"Nie można połączyć się z bazą danych ({exc.__class__.__name__}: {str(exc).strip()[:200]}); "
            "sprawdź RATUSZ_DATABASE_URL."
        ) from None
    if missing:
        err.print(
            f"[yellow]Uwaga:[/yellow] baza danych nie jest aktualna ({missing} migracji do wykonania); "
            "uruchom `ratusz migrate`.",
            soft_wrap=True,
        )
    loopback = {"127.0.0.1", "localhost", "::1", "[::1]"}
    if host not in loopback and set(settings.ALLOWED_HOSTS) <= loopback | {"testserver"}:
        err.print(
            f"[yellow]Uwaga:[/yellow] słuchamy na {host}, ale RATUSZ_ALLOWED_HOSTS zawiera tylko adresy lokalne; "
            "żądania pod inną nazwą dostaną błąd 400. Ustaw np. RATUSZ_ALLOWED_HOSTS=ratusz.example.pl.",
            soft_wrap=True,
        )
    # Whitenoise warns about a missing STATIC_ROOT even though it serves from the apps' static folders.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Nothing may share a database connection with the forked workers.
    connections.close_all()

    class RatuszApplication(BaseApplication):
        def load_config(self) -> None:
            bind = f"[{host.strip('[]')}]:{port}" if ":" in host else f"{host}:{port}"
            for key, value in {
                "bind": bind,
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread" if threads > 1 else "sync",
                "timeout": timeout,
                "accesslog": "-",
                "errorlog": "-",
                "proc_name": "ratusz",
                # One control socket per user home would clash between instances; ratusz does not use it.
                "control_socket_disable": True,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            from ratusz.wsgi import application

            return application

    err.print(f"[green]ratusz działa na http://{host}:{port}/[/green] (Ctrl+C kończy)", soft_wrap=True)
    RatuszApplication().run()


def register(app: typer.Typer) -> None:
    """Add this app's commands to the main CLI."""

    @app.command("serve")
    def serve_cmd(
        host: str = typer.Option(
            "127.0.0.1", "--host", help="Address to listen on (0.0.0.0: all interfaces)."
        ),
        port: int = typer.Option(8000, "--port", help="TCP port."),
        workers: int | None = typer.Option(
            None, "--workers", help="Worker processes (default: 2 × CPU cores + 1, at most 9)."
        ),
        threads: int = typer.Option(4, "--threads", help="Threads per worker process."),
        timeout: int = typer.Option(
            60, "--timeout", help="Seconds before a stuck request's worker is restarted."
        ),
    ) -> None:
        """Serve the site (pages, admin, API, static files) with gunicorn, a production WSGI server.

        Set RATUSZ_ALLOWED_HOSTS to the public host name when listening beyond localhost.

        Example: ratusz serve --host 127.0.0.1 --port 8000 --workers 3
        """
        serve(host, port, workers if workers is not None else default_workers(), threads, timeout)
