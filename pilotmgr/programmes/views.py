"""Programmes and challenges: everyone signed in reads them; heads and administrators add and
change them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.web import commit
from pilotmgr.pilots import programmes as service
from pilotmgr.pilots.permissions import can_manage_programmes
from pilotmgr.programmes.forms import ChallengeForm, ProgrammeForm

bp = Blueprint("programmes", __name__)


def _managers_only() -> None:
    if not can_manage_programmes(current_user):
        abort(403)


@bp.get("/programmes")
@login_required
def index():
    return render_template(
        "programmes/list.html",
        catalogue=service.catalogue(current_user),
        can_manage=can_manage_programmes(current_user),
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@login_required
def create_programme():
    _managers_only()
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm(formdata=None)
    done, programme = form.run(lambda data: service.create_programme(current_user, data))
    if done:
        commit()
        flash(_l("Programme “%(name)s” created.", name=programme.name), "success")
        return redirect(url_for("programmes.index", _anchor=f"programme-{programme.id}"))
    return _form_page("programmes/programme_form.html", form, programme=None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(programme_id):
    _managers_only()
    programme = service.get_programme(programme_id)
    if request.method == "POST":
        form = ProgrammeForm()
    else:
        form = ProgrammeForm.for_programme(programme, formdata=None)
    done, _programme = form.run(
        lambda data: service.update_programme(current_user, programme, data)
    )
    if done:
        commit()
        flash(_l("Changes saved."), "success")
        return redirect(url_for("programmes.index", _anchor=f"programme-{programme.id}"))
    return _form_page("programmes/programme_form.html", form, programme=programme)


@bp.route("/challenges/new", methods=["GET", "POST"])
@login_required
def create_challenge():
    _managers_only()
    choices = {"programmes": service.all_programmes()}
    if request.method == "POST":
        form = ChallengeForm(**choices)
    else:
        form = ChallengeForm(formdata=None, **choices)
        only = [str(p.id) for p in choices["programmes"]]
        form.programme_id.data = request.args.get("programme") or (
            only[0] if len(only) == 1 else ""
        )
    done, challenge = form.run(lambda data: service.create_challenge(current_user, data))
    if done:
        commit()
        flash(_l("Challenge “%(title)s” created.", title=challenge.title), "success")
        return redirect(url_for("programmes.index", _anchor=f"challenge-{challenge.id}"))
    return _form_page("programmes/challenge_form.html", form, challenge=None)


@bp.route("/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
@login_required
def edit_challenge(challenge_id):
    _managers_only()
    challenge = service.get_challenge(challenge_id)
    choices = {"programmes": service.all_programmes()}
    if request.method == "POST":
        form = ChallengeForm(**choices)
    else:
        form = ChallengeForm.for_challenge(challenge, formdata=None, **choices)
    done, _challenge = form.run(
        lambda data: service.update_challenge(current_user, challenge, data)
    )
    if done:
        commit()
        flash(_l("Changes saved."), "success")
        return redirect(url_for("programmes.index", _anchor=f"challenge-{challenge.id}"))
    return _form_page("programmes/challenge_form.html", form, challenge=challenge)


def _form_page(template: str, form, **context):
    return render_template(template, form=form, **context), (422 if form.errors else 200)
