"""/contact/: the contacts staff publish, the feedback form, its defences against spam, the
e-mail to staff and the messages in the admin (contact app)."""
