"""gunicorn settings, read from the repository root: `gunicorn wsgi:app`.

Command-line options (`-w 4 -b 127.0.0.1:8000`) override these.
"""

import os

bind = os.environ.get("PILOTMGR_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
#: A memo renders in well under a second; the longest requests are large exports.
timeout = int(os.environ.get("PILOTMGR_WORKER_TIMEOUT", "60"))


def post_worker_init(worker):
    """Each worker makes its memo renderer ready before it takes its first request."""
    from pilotmgr.memos.pdf import warm_up

    seconds = warm_up(worker.wsgi)
    worker.log.info("worker %s: memo renderer ready in %.2f s", worker.pid, seconds)
