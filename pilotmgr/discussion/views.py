"""The discussion block of the pilot page and the comment it posts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.web import commit
from pilotmgr.discussion import service
from pilotmgr.discussion.forms import CommentForm
from pilotmgr.pilots import service as pilots

bp = Blueprint("discussion", __name__)


@bp.record_once
def _template_helpers(state):
    """The pilot page includes the thread; this gives it its data."""
    state.app.jinja_env.globals.update(
        pilot_discussion=lambda pilot, page_forms=None: pilot_discussion(
            current_user, pilot, page_forms
        )
    )


def pilot_discussion(user, pilot, page_forms: dict | None = None) -> dict:
    return {
        "thread": service.thread(user, pilot),
        "people": service.mention_suggestions(user, pilot),
        "form": (page_forms or {}).get("comment") or CommentForm(formdata=None),
    }


@bp.post("/pilots/<int:pilot_id>/comments")
@login_required
def post_comment(pilot_id):
    from pilotmgr.pilots.views import detail_page

    pilot = pilots.get_pilot(current_user, pilot_id)
    form = CommentForm()
    done, comment = form.run(
        lambda data: service.post_comment(
            current_user, pilot, data, request.files.getlist(form.files.name)
        )
    )
    if not done:
        return detail_page(pilot.id, {"comment": form}, 422)
    commit()
    flash(_l("Comment posted."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor=f"comment-{comment.id}"))
