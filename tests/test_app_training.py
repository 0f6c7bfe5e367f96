"""Tiny trainings through the pages (real local trainer, real training child, a few hundred digits, one
epoch), the job rules as the learner sees them (queue, progress, finishing phase, "Abbrechen",
"Erneut versuchen", the queue limit), pretrained results, and the run log across pages
(tutorial.app.live, .exercise, .result, .runlog)."""
import collections
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import presets, pretrained
from tutorial import questions as Q
from tutorial.charts import training as curves
from tutorial import spec as S
from tutorial.app import live, loader, progress, runlog, state
from tutorial.chapters import by_number, chapter, exercises
from tutorial.deutsch import percent
from tutorial.backend import InProcess
from tutorial.jobs import LocalTrainer
from tutorial.queue_policy import QueueLimit

pytestmark = pytest.mark.app

TIMEOUT = 90
TRAINING_CHAPTERS = (by_number(3), *exercises())    # every page with a "Trainieren" button


def new_app(path: str, owner: str = "") -> AppTest:
    at = AppTest.from_file(f"../{path}", default_timeout=TIMEOUT)
    at.session_state[state.TEST_MODE_KEY] = True
    # the learner chose "Ohne Vermutung weiter" everywhere (the guess itself: tests/test_app_quiz.py)
    at.session_state[state.PROGRESS_KEY] = {**progress.empty(), "guesses": {   # every step (chapters 7, 8)
        progress.guess_key(c.key, step): {"choice": None, "skipped": True, "hint": False}
        for c in TRAINING_CHAPTERS for step in ("", *(s for s, _ in getattr(Q.guess(c.key), "steps", ())))}}
    if owner:
        at.session_state[state.LEARNER_ID_KEY] = owner
    return at


def log_of(at: AppTest) -> list:
    return at.session_state[state.LOG_KEY] if state.LOG_KEY in at.session_state else []


def run_until(at: AppTest, condition, timeout: float = 120.0) -> None:
    deadline = time.time() + timeout
    while True:
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        if condition(at):
            return
        assert time.time() < deadline, f"timed out waiting for the page: {describe_jobs(at)}"
        time.sleep(0.5)


def describe_jobs(at: AppTest) -> str:
    """Diagnostics for a timeout: the state of every live run the session started."""
    out = []
    for entry in TRAINING_CHAPTERS:
        key = f"_run_{entry.key}"
        run = at.session_state[key] if key in at.session_state else None
        if run and run.get("kind") == "live":
            job = loader.trainer().get(run["spec"])
            snap = job.snapshot() if job else {}
            out.append(f"{entry.key}: {snap.get('state')} step {snap.get('step')} {snap.get('message')!r}")
    return "; ".join(out) or "no live run"


def skip_guess(at: AppTest, key: str) -> None:
    """Answer "Ihre Vermutung" with "Ohne Vermutung weiter" when the chapter asks for one: the
    result area opens only after that (tutorial.app.quiz)."""
    if any(b.key == f"{key}_guess_skip" for b in at.button):
        at.button(key=f"{key}_guess_skip").click().run()
        assert not at.exception, [e.message for e in at.exception]


def texts(at: AppTest) -> str:
    return "\n".join(e.value for kind in ("info", "warning", "error", "success", "markdown", "caption")
                     for e in getattr(at, kind))


@pytest.mark.slow      # a real training child
@pytest.mark.parametrize("entry", TRAINING_CHAPTERS, ids=lambda e: e.stem)
def test_tiny_training_through_the_page_fills_the_run_log(entry):
    key = entry.key
    at = new_app(entry.file)
    at.run()
    if entry.solution:
        at.button(key=f"{key}_solution").click().run()
    skip_guess(at, key)
    at.button(key=f"{key}_train").click()
    run_until(at, lambda a: len(log_of(a)) == 1)

    run = log_of(at)[0]
    assert run.kind == runlog.LIVE and run.chapter == entry.label and run.number == 1
    assert run.spec.train_size == 300 and run.spec.epochs == 1 and run.n_val == 500
    assert run.history["epochs"] and 0 <= run.errors <= 500
    assert run.title.startswith(f"Ihr Lauf: {entry.label} · ") and percent(run.accuracy) in run.title
    # the result: summary table, error count, font digits and 168 test digits
    assert any("Fehler von 500 Testziffern" in m.value for m in at.markdown)
    summaries = [d.value for d in at.dataframe if list(d.value.columns) == ["Schicht", "Typ", "Ausgabeform", "Parameter"]]
    assert len(summaries) == 1
    assert sum(int(p.replace(".", "")) for p in summaries[0]["Parameter"]) == S.param_count(run.spec)
    captions = [img.proto.imgs[0].caption for img in at.get("image")]
    assert any(c.startswith("Ziffern aus Schriftarten") for c in captions)
    assert any(c.startswith("168 Testziffern") for c in captions)
    # a run on a subset says so where the score is shown, with the full run of the same settings
    note = [i.value for i in at.info if "Lauf im Schnellmodus" in i.value]
    assert len(note) == 1 and "300 statt 60.000 Trainingsziffern" in note[0]
    full = loader.preset_result(entry.solution or "keras_01_mnist")
    if full is not None:
        assert f"erreicht **{percent(full['accuracy'])}**" in note[0]
    # the default zoom shows the run: every validation point inside the zoomed range
    zoom = [r for r in at.radio if r.key.startswith(f"{key}_zoom_")]
    assert len(zoom) == 1
    values = {m: [e[f"val_{m}"] for e in run.history["epochs"]] for m in ("loss", "accuracy")}
    (l0, l1), (a0, a1) = curves.zoom_limits(zoom[0].value, values)     # at 1× the range grows to fit
    assert all(l0 <= e["val_loss"] <= l1 and a0 <= e["val_accuracy"] <= a1 for e in run.history["epochs"]), \
        (zoom[0].value, values, (l0, l1), (a0, a1))
    # drawing again does not add the run twice
    at.run()
    assert len(log_of(at)) == 1


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_pretrained_result_matches_its_stored_accuracy():
    name = "keras_02_mnist_dense"
    assert name in pretrained.available(), "the pretrained keras_02 files are part of the repository"
    at = new_app(chapter("07_tiefe_netze").file)
    at.run()
    at.button(key="ch07_solution").click().run()
    skip_guess(at, "ch07")
    at.button(key="ch07_pretrained").click().run()
    assert not at.exception, [e.message for e in at.exception]
    run = log_of(at)[0]
    stored = pretrained.load_history(name)
    assert run.kind == runlog.READY and run.n_val == 10_000
    assert run.errors == round((1 - stored["test_accuracy"]) * 10_000)
    assert S.param_count(run.spec) == 169_670 and run.seconds == stored["seconds"]
    assert not any("Lauf im Schnellmodus" in i.value for i in at.info)


@pytest.mark.slow      # a real training child
def test_leaving_a_page_keeps_the_run_and_the_log_names_and_overlays_it():
    at = new_app("streamlit_app.py")
    at.run()
    page6 = chapter("06_mehr_schichten").file
    at.switch_page(page6).run()
    at.session_state["ch06_hidden"] = 1
    at.session_state["ch06_units_0"] = 30
    at.run()
    skip_guess(at, "ch06")
    at.button(key="ch06_train").click()
    run_until(at, lambda a: len(log_of(a)) == 1)
    run = log_of(at)[0]

    at.switch_page(chapter("versuchsprotokoll").file).run()
    assert not at.exception
    table = at.table[0].value
    assert len(table) == 1 and "Dense(30, sigmoid)" in table["Einstellungen"].iloc[0]
    assert table["Testgenauigkeit"].iloc[0] == f"{percent(run.accuracy)} (von 500)"
    assert len(at.get("vega_lite_chart")) == 2          # overlay: validation loss and accuracy
    assert at.multiselect(key="protokoll_select").value == [run.title]
    assert run.title.startswith("Ihr Lauf: Kapitel 6 · Dense(30, sigmoid) · SGD · 1 Epoche · 300 Ziffern")

    at.switch_page(page6).run()
    assert not at.exception
    assert at.slider(key="ch06_hidden").value == 1 and at.number_input(key="ch06_units_0").value == 30
    assert any("Fehler von 500 Testziffern" in m.value for m in at.markdown)
    assert len(log_of(at)) == 1

    # the ready-made result of the chapter's solution is a separate entry beside the live run
    at.button(key="ch06_solution").click().run()
    skip_guess(at, "ch06")
    at.button(key="ch06_pretrained").click().run()
    assert [r.kind for r in log_of(at)] == [runlog.LIVE, runlog.READY]
    assert [r.number for r in log_of(at)] == [1, 2]

    at.switch_page(chapter("versuchsprotokoll").file).run()
    assert len(at.table[0].value) == 2
    at.button(key="protokoll_clear").click().run()
    assert not at.exception and log_of(at) == []


def test_titles_are_distinct_and_without_gaps():
    spec = presets.PRESETS["keras_01_mnist"].with_(limit=300, epochs=1, val_limit=500)
    runs = [runlog.Run(f"live:{i}", "Kapitel 3", runlog.LIVE, spec, {"epochs": []}, 1.0, errors=50, n_val=500)
            for i in range(3)]
    titled = runlog.titled(runs)
    assert len(titled) == 3
    first = "Ihr Lauf: Kapitel 3 · Eine dichte Schicht (keras_01) · 1 Epoche · 300 Ziffern · 90,00 % Testgenauigkeit"
    assert list(titled) == [first, first + " (2)", first + " (3)"]
    nan = runlog.Run("live:x", "Kapitel 8", runlog.LIVE, spec, {"epochs": []}, 1.0)
    assert nan.accuracy is None and nan.title.endswith("abgebrochen (NaN)")
    assert nan.row()["Testgenauigkeit"] == "–" and nan.record()["Testgenauigkeit (%)"] is None


# --- the job rules on the page, with a trainer whose training waits for the test --------------------

class Gate:
    """A train function that reports one step, then waits until the test opens its gate."""

    def __init__(self):
        self.gates = collections.defaultdict(threading.Event)
        self.finishing = collections.defaultdict(threading.Event)
        self.fail_once: set = set()

    def __call__(self, spec, on_progress=None, every=10, stop_event=None):
        from tutorial import training

        on_progress({"kind": "batch", "step": 1, "epoch": 0.5, "loss": 2.0, "accuracy": 0.3})
        while not self.gates[spec].wait(0.05):
            if stop_event is not None and stop_event.is_set():
                raise RuntimeError("stopped")
        if spec in self.fail_once:
            self.fail_once.discard(spec)
            raise RuntimeError("kaputt")
        on_progress({"kind": "finishing", "step": spec.steps_per_epoch * spec.epochs})
        assert self.finishing[spec].wait(60)
        return training.train(spec, on_progress, every, stop_event)

    def open(self, spec, finish: bool = True):
        self.gates[spec].set()
        if finish:
            self.finishing[spec].set()

    def open_all(self):
        for event in [*self.gates.values(), *self.finishing.values()]:
            event.set()


@pytest.fixture
def gated(monkeypatch):
    gate = Gate()
    fake = LocalTrainer(backend=lambda threads: InProcess(gate), parallel=1)
    monkeypatch.setattr(loader, "trainer", lambda: fake)
    try:
        yield fake, gate
    finally:
        gate.open_all()


PAGE3_SPEC = presets.PRESETS["keras_01_mnist"].with_(**state.TEST_LIMITS)


def progress_texts(at: AppTest) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_queue_position_live_progress_and_finishing_phase(gated, monkeypatch):
    fake, gate = gated
    blocker = fake.submit(PAGE3_SPEC.with_(seed=123), owner="someone else")
    at = new_app(by_number(3).file, owner="learner")
    at.run()
    skip_guess(at, "ch03")
    at.button(key="ch03_train").click()
    run_until(at, lambda a: blocker.state == "running"
              and any("Position 1 der Warteschlange" in i.value for i in a.info), 30)

    gate.open(blocker.spec)
    run_until(at, lambda a: any("Schritt 1 von 2" in t for t in progress_texts(a)), 60)
    assert len(at.get("vega_lite_chart")) == 2      # live curves: loss and accuracy
    assert at.button(key="ch03_cancel")
    assert log_of(at) == []

    gate.open(PAGE3_SPEC, finish=False)           # last step done: the finishing phase has its own text
    run_until(at, lambda a: any(t.startswith("Training fertig") for t in progress_texts(a)), 60)
    assert not any("noch etwa 0 s" in t for t in progress_texts(at))

    monkeypatch.setattr(live, "FINISH_WAIT", 60)
    gate.open(PAGE3_SPEC)
    at.run()      # one run: in the finishing phase the live view waits for the result and shows it at once
    assert not at.exception and len(log_of(at)) == 1
    assert not at.main.get("progress")     # (the sidebar's "Ihr Fortschritt" bars stay)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_learners_watching_one_training_share_its_live_charts(gated, monkeypatch):
    fake, gate = gated
    built = []
    real = curves.training_view
    monkeypatch.setattr(curves, "training_view", lambda h, z=1: built.append(len(h["batches"])) or real(h, z))
    spec = PAGE3_SPEC.with_(seed=77)
    pages = []
    for owner in ("anna", "ben"):
        at = new_app(by_number(3).file, owner=owner)
        at.run()
        skip_guess(at, "ch03")
        pages.append(at)
    job = fake.submit(spec, owner="anna")
    fake.submit(spec, owner="ben")
    for at in pages:
        at.session_state["_run_ch03"] = {"kind": "live", "spec": spec, "cancelled": False}
        run_until(at, lambda a: len(a.get("vega_lite_chart")) == 2, 30)
    assert job.state == "running" and len(job.snapshot()["batches"]) == 1
    assert built == [1]                       # one build for both learners at this progress …
    specs = [[c.proto.spec for c in at.get("vega_lite_chart")] for at in pages]
    assert specs[0] == specs[1]               # … and both see the same charts
    assert all(c.proto.datasets for at in pages for c in at.get("vega_lite_chart"))   # with their data
    gate.open(spec)
    job.wait(120)


def test_shared_chart_specs_are_reused_while_unchanged_or_fresh(monkeypatch):
    from tutorial.app import views
    history = {"batches": [{"step": 10, "epoch": 0.1, "loss": 2.0, "accuracy": 0.3}], "epochs": [],
               "epochs_total": 2, "steps_per_epoch": 100}
    built = []

    def build():
        built.append(len(history["batches"]))
        return curves.training_view(history, 1)

    clock = [100.0]
    monkeypatch.setattr(views.time, "monotonic", lambda: clock[0])
    key = ("run", 1)
    first = views.shared_specs(key, (1, 0), 0.75, build)
    assert views.shared_specs(key, (1, 0), 0.75, build) is first            # same data: reused
    history["batches"].append({"step": 20, "epoch": 0.2, "loss": 1.8, "accuracy": 0.4})
    clock[0] += 0.5
    assert views.shared_specs(key, (2, 0), 0.75, build) is first            # new data, but fresh: reused
    clock[0] += 0.5
    second = views.shared_specs(key, (2, 0), 0.75, build)                   # new data, stale: rebuilt
    assert second is not first and built == [1, 2]
    assert views.shared_specs(("run", 2), (2, 0), 0.75, build) is not second and built == [1, 2, 2]
    assert second[0]["datasets"] or second[0].get("data")                   # the spec carries its data


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_cancel_shows_the_run_as_cancelled_and_retry_queues_it_again(gated):
    fake, gate = gated
    fake.submit(PAGE3_SPEC.with_(seed=123), owner="someone else")     # keeps the page's run waiting
    at = new_app(by_number(3).file, owner="learner")
    at.run()
    skip_guess(at, "ch03")
    at.button(key="ch03_train").click()
    run_until(at, lambda a: any("Warteschlange" in i.value for i in a.info), 30)
    at.button(key="ch03_cancel").click()
    run_until(at, lambda a: any("abgebrochen" in i.value for i in a.info), 30)
    assert fake.get(PAGE3_SPEC).state == "cancelled"
    at.run()                                          # stays cancelled: nothing re-queues it behind the learner's back
    assert fake.get(PAGE3_SPEC).state == "cancelled" and any("abgebrochen" in i.value for i in at.info)

    at.button(key="ch03_retry").click()
    run_until(at, lambda a: any("Warteschlange" in i.value for i in a.info), 30)
    assert fake.get(PAGE3_SPEC).state == "queued"


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_failed_run_stays_failed_until_the_learner_retries(gated):
    fake, gate = gated
    gate.fail_once.add(PAGE3_SPEC)
    gate.open(PAGE3_SPEC)
    at = new_app(by_number(3).file, owner="learner")
    at.run()
    skip_guess(at, "ch03")
    at.button(key="ch03_train").click()
    run_until(at, lambda a: any("kaputt" in e.value for e in a.error), 60)
    for _ in range(2):
        at.run()
        assert fake.get(PAGE3_SPEC).state == "failed" and any("kaputt" in e.value for e in at.error)
    at.button(key="ch03_retry").click()
    run_until(at, lambda a: len(log_of(a)) == 1, 90)
    assert not at.error


def test_queue_limit_gives_its_german_message(gated):
    fake, gate = gated
    fake.submit(PAGE3_SPEC.with_(seed=123), owner="someone else")
    for seed in (7, 8):
        fake.submit(PAGE3_SPEC.with_(seed=seed), owner="learner")
    at = new_app(by_number(3).file, owner="learner")
    at.run()
    skip_guess(at, "ch03")
    at.button(key="ch03_train").click().run()
    assert not at.exception
    assert fake.get(PAGE3_SPEC) is None
    assert "_run_ch03" not in at.session_state
    with pytest.raises(QueueLimit) as refused:
        fake.submit(PAGE3_SPEC, owner="learner")
    assert str(refused.value) and [w.value for w in at.warning] == [str(refused.value)]


@pytest.mark.slow      # a real training child
def test_nan_run_shows_the_german_message():
    """A learning rate far too high makes the loss NaN: the page says so instead of showing garbage."""
    at = new_app(chapter("08_lernrate").file)
    at.run()
    skip_guess(at, "ch08")
    spec = S.RunSpec(layers=presets.DENSE_200_60, optimizer="sgd", learning_rate=1e8, limit=384, epochs=2,
                     val_limit=500)
    loader.trainer().submit(spec)
    at.session_state["_run_ch08"] = {"kind": "live", "spec": spec, "cancelled": False}
    run_until(at, lambda a: len(log_of(a)) == 1)
    assert any("NaN" in e.value for e in at.error)
    assert not any("Fehler von" in m.value for m in at.markdown)
    assert log_of(at)[0].accuracy is None


def test_script_runs_do_not_reset_keras_state():
    """Streamlit's per-run keras clear_session would reset layer names (and scopes) of other threads
    (tutorial.app.patches)."""
    import keras

    first = keras.layers.Dense(1).name
    at = new_app(chapter("06_mehr_schichten").file)
    at.run()
    at.run()
    second = keras.layers.Dense(1).name
    assert first != second, "the layer-name counter was reset by a script run"


@pytest.mark.slow      # a real training child
def test_own_network_is_offered_inside_the_models():
    """'Modelle von innen' opens the learner's own trained networks too (here a tiny chapter-3 run)."""
    at = new_app("streamlit_app.py")
    at.run()
    at.switch_page(by_number(3).file).run()
    skip_guess(at, "ch03")
    at.button(key="ch03_train").click()
    run_until(at, lambda a: len(log_of(a)) == 1)
    run = log_of(at)[0]

    at.switch_page(chapter("modelle_von_innen").file).run()
    assert not at.exception, [e.message for e in at.exception]
    box = at.selectbox(key="inside_cm_model")
    assert run.title in box.options
    assert run.title not in at.selectbox(key="inside_conv_model").options     # a dense net has no filters
    box.set_value(run.title).run()
    assert not at.exception, [e.message for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    errors = int(metrics["Fehler"].split()[0].replace(".", ""))
    assert metrics["Fehler"].endswith("von 10.000") and 0 < errors < 10_000
