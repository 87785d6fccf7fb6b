"""A pilot's discussion: comments, @mentions that notify, files stored like evidence."""
