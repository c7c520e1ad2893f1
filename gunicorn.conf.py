"""gunicorn settings for the web process: `gunicorn -c gunicorn.conf.py loyalty_site.wsgi`.

Every value can be set from the environment, so one file serves a laptop, a container and a VM.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Behind a TLS-terminating proxy, trust its X-Forwarded-* headers (set the proxy's address in production).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Load the app (and numpy/scipy/scikit-learn) once in the master; workers fork from it, start instantly and
# share those pages of memory.
preload_app = True
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
