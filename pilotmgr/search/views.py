from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from pilotmgr.search.service import search

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def index():
    return render_template(
        "search/results.html", results=search(current_user, request.args.get("q", ""))
    )
