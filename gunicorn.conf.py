"""gunicorn settings of 智慧党建 (``gunicorn -c gunicorn.conf.py``; deploy/systemd/dangjian-web.service).

Every value can be overridden from the environment (deploy/dangjian.env):
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS,
GUNICORN_FORWARDED_ALLOW_IPS. Long work (imports, large exports, the province demo, bill runs)
belongs in background jobs (``manage.py db_worker``); requests that stay synchronous are pages,
form posts, exports of a screen's filter and the small imports, which finish well under a minute
at province scale, so the worker timeout is 60 s and nginx waits 75 s (deploy/nginx).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "dangjian.wsgi:application"
# 127.0.0.1 by default: nginx in front terminates TLS. "0.0.0.0:8000" only behind a firewall.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers, 2 per core + 1 (gunicorn's rule for I/O-bound Django), at most 12 so a big
# machine does not exhaust PostgreSQL connections (CONN_MAX_AGE keeps one per worker thread).
workers = _int("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 12))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open briefly
# Recycle workers now and then so a slow leak cannot grow without bound; jitter avoids all
# workers restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs, not on a disk that may stall under backup I/O.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# X-Forwarded-For / -Proto are believed only from these peers (nginx on the same host).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# No runtime control socket (gunicorn >= 25): systemd reloads with HUP, and two instances on one
# host (the demo and a test run) would fight over the one default socket path.
control_socket_disable = True

# Logs to stdout/stderr: journald (systemd) or the container runtime collects them.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Request line size limits stay at gunicorn's defaults; bodies are limited by nginx and Django.
