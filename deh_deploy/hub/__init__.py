"""The hub service a Society hosts beside Twilio.

It receives Twilio's signed webhooks, stores every event in an inbox before answering, processes the inbox into
feedback records (one per contact that reaches an agent or leaves a voicemail) and keeps, on each record, the
deadline of the Society's promise to answer and whether it was met. SQLAlchemy over SQLite or PostgreSQL, one
schema migrated by Alembic; Starlette on uvicorn. Nothing here is imported by ``deh --help`` or ``deh validate``.
"""
