class NoticeError(ValueError):
    """A notice that cannot be read; the message says in Chinese what is wrong and what to do."""
