"""The WSGI application: `gunicorn wsgi:app` (settings in gunicorn.conf.py) or `flask run`."""

import sys

from pilotmgr import create_app

app = create_app()

if sys.argv[1:2] == ["run"]:
    # `flask run` serves from this very process: make the memo renderer ready before the first
    # request, as gunicorn.conf.py does for each gunicorn worker. Other commands (`flask db
    # upgrade`, `flask scheduler run`, ...) import this module too, and skip it.
    from pilotmgr.memos.pdf import warm_up

    warm_up(app)
