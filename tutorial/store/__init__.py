"""The learners' progress and the room's shared state in a database (SQLAlchemy Core, no Streamlit).

* :mod:`tutorial.store.connect` – the database URL (a SQLite file by default, PostgreSQL from
  ``TUTORIAL_DATABASE_URL``) and the engine with its SQLite pragmas;
* :mod:`tutorial.store.schema` – the tables, the schema version and its migrations;
* :mod:`tutorial.store.limits` – the bounds (caps, expiry) and the known keys;
* :mod:`tutorial.store.errors` – refused writes as typed errors with a German message;
* :mod:`tutorial.store.store` – :class:`~tutorial.store.store.Store`: a learner's writes, reset,
  "Meine Daten löschen", expiry; :mod:`tutorial.store.reading` – a learner read back;
* :mod:`tutorial.store.room` – the room: shared state (banner, workshop mode, "since", online) and
  its aggregates as queries;
* :mod:`tutorial.store.legacy` – the one-time import of the old JSON progress files.
"""
