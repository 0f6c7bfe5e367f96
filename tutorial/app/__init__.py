"""The Streamlit layer: the only package of ``tutorial`` that imports Streamlit; one concern per module.

* :mod:`~tutorial.app.page` – a page's frame: ``start(__file__)`` (title, chapter entry), ``end`` ("Weiter").
* :mod:`~tutorial.app.state` – every session key, defined once, behind named accessors: widget values
  kept across pages (``keep``), the learner (``learner_token``, ``learner_id`` – the trainer's ``owner``),
  each page's last run, the run log, the drawn digit, test mode; ``persisted``/``restore`` for progress.
* :mod:`~tutorial.app.loader` – the server's shared objects: the trainer, pretrained models and
  histories (one German message for a missing or damaged file), MNIST.
* :mod:`~tutorial.app.exercise` – the exercise panel of a chapter and its result area.
* :mod:`~tutorial.app.live` – a run on its way: queue, progress, finishing phase, "Abbrechen",
  "Erneut versuchen", the queue limit.
* :mod:`~tutorial.app.result` – a finished run: scores, the quick-run note, curves, predictions.
* :mod:`~tutorial.app.runlog` – the run log: the :class:`~tutorial.app.runlog.Run` dataclass with its
  title, table row and CSV record.
* :mod:`~tutorial.app.views` – small shared drawings (code toggle, digit grid, curves, layer table).
* :mod:`~tutorial.app.demos` – chapter 5's ``predict``/``argmax`` demo.
* :mod:`~tutorial.app.inside`, :mod:`~tutorial.app.drawing`, :mod:`~tutorial.app.logview` – the tool pages
  "Modelle von innen", "Ziffern zeichnen" and "Versuchsprotokoll".
* :mod:`~tutorial.app.patches` – the one change to Streamlit's behaviour, applied explicitly.
* the explanations, guesses and questions, progress, German chrome and the workshop host have
  their own modules beside these (``explain``, ``quiz``, ``progress``, ``terms``, ``chrome``, ``host``).

The engine modules (``tutorial/*.py``) stay free of Streamlit.
"""
