"""An outbox row as an e-mail message: headers every mail client reads right.

Subjects: Python's folder (3.11) splits a long non-ASCII subject into encoded-words with the
space between two words as the separator, and RFC 2047 decoders drop white space between
encoded-words — "của Thành phố" arrived as "củaThành phố". Such a subject is encoded here as
one run of UTF-8 encoded-words (email.header.Header), whose spaces sit inside the words.
"""

from __future__ import annotations

from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime

from flask import current_app

from pilotmgr.auth.models import User
from pilotmgr.core.text import one_line
from pilotmgr.extensions import db
from pilotmgr.notices.attachments import attach_files
from pilotmgr.notices.mail_links import message_id_domain, unsubscribe_url
from pilotmgr.reminders.models import OutboxMail

_ENCODED_AS_A_WHOLE = ("subject",)


class MailPolicy(EmailPolicy):
    """The default policy, but non-ASCII subjects folded as whole runs of encoded-words."""

    def fold(self, name, value):
        if name.lower() in _ENCODED_AS_A_WHOLE and not str(value).isascii():
            encoded = Header(str(value), "utf-8", header_name=name).encode(linesep=self.linesep)
            return f"{name}: {encoded}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in _ENCODED_AS_A_WHOLE and not str(value).isascii():
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


POLICY = MailPolicy()


def message_id(mail: OutboxMail) -> str:
    """<natural key . random part @ this installation's domain>, the same at every retry."""
    local = mail.message_id.strip("<>").rsplit("@", 1)[0]
    token = f".{mail.message_token}" if mail.message_token else ""
    return f"<{local}{token}@{message_id_domain()}>"


def build_message(mail: OutboxMail) -> EmailMessage:
    """Raises ValueError (or another error) for a mail that cannot be sent as it is."""
    if not mail.text_body:
        raise ValueError("the mail has no text (its reminder is gone)")
    message = EmailMessage(policy=POLICY)
    # Rows queued before titles were cleaned on input may still hold a line break.
    message["Subject"] = one_line(mail.subject)
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to_addr
    message["Message-ID"] = message_id(mail)
    message["Date"] = format_datetime(mail.created_at)
    message["Auto-Submitted"] = "auto-generated"
    user = db.session.get(User, mail.user_id) if mail.user_id else None
    if user is not None:
        # RFC 8058: the provider POSTs "List-Unsubscribe=One-Click" to the URL. No mailto:
        # nothing here reads incoming mail, so a request by mail would go unanswered.
        message["List-Unsubscribe"] = f"<{unsubscribe_url(user, mail.category)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    attach_files(message, mail.id)
    return message
