"""Chapter 15: the cheat sheet of the whole course, on screen and as a Markdown download. No TensorFlow."""
import streamlit as st

from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import de, percent
from tutorial.app import loader, page, runlog, views
from tutorial.app import quiz

# what each of the codelab's five notebooks added to the one before
ADDED = {
    "keras_01_mnist": "eine dichte Schicht mit softmax",
    "keras_02_mnist_dense": "Zwischenschichten mit relu, Adam",
    "keras_03_mnist_dense_lrdecay_dropout": "eine Zwischenschicht mehr, Lernratenabfall und Dropout",
    "keras_04_mnist_convolutional": "Faltungsschichten statt dichter Schichten vorn",
    "keras_05_mnist_batch_norm": "Batch-Normalisierung",
}
# the same, as "the net made its step with …" (dative)
WITH = {
    "keras_02_mnist_dense": "den Zwischenschichten, relu und Adam",
    "keras_03_mnist_dense_lrdecay_dropout": "einer Zwischenschicht mehr, Lernratenabfall und Dropout",
    "keras_04_mnist_convolutional": "den Faltungsschichten",
    "keras_05_mnist_batch_norm": "der Batch-Normalisierung",
}

chapter = page.start(__file__)
st.markdown("""
Sie haben fünf Netze gebaut, jedes aus dem vorigen. Die Tabelle legt sie nebeneinander: was jeweils
dazukam und wie viele der 10.000 Testziffern danach noch falsch gelesen wurden. Darunter steht alles
Gelernte auf einer Seite, zum Nachschlagen und als Datei zum Mitnehmen.
""")

st.header("Der Weg in Zahlen")
rows, errors = [], {}
for name in presets.NOTEBOOK_PRESETS:
    result = loader.preset_result(name)
    if result:
        errors[name] = result["errors"]
    rows.append({"Modell": presets.PRESET_TITLES[name], "Neu dazu": ADDED[name],
                 "Parameter": de(S.param_count(presets.PRESETS[name])),
                 "Testgenauigkeit": percent(result["accuracy"]) if result else "noch nicht trainiert",
                 "Fehler": de(result["errors"]) if result else "–"})
views.table(rows, "models")
st.caption("Genauigkeit der fertig trainierten Modelle dieser App auf den 10.000 Testziffern (10 Epochen). "
           "Für zwei Modelle ist der fertige Lauf der beste aus mehreren Startwerten des Zufalls: die einzelne "
           "Schicht (acht Startwerte: 89,77 % bis 90,01 %) und das Netz mit Batch-Normalisierung (vier "
           "Startwerte: 99,40 % bis 99,50 %). Kapitel 3 trainiert live mit dem Startwert seines fertigen Laufs; "
           "die Lösung von Kapitel 13 rechnet live mit Startwert 0 und kommt auf 99,40 %.")
if len(errors) == len(presets.NOTEBOOK_PRESETS):
    steps = sorted(zip(presets.NOTEBOOK_PRESETS, presets.NOTEBOOK_PRESETS[1:]),
                   key=lambda ab: errors[ab[1]] - errors[ab[0]])
    (a1, b1), (a2, b2) = steps[:2]
    rest = "; ".join(f"{de(errors[a] - errors[b])} mit {WITH[b]}" for a, b in sorted(steps[2:]))
    st.markdown(f"""
Lesen Sie die Spalte »Fehler« von oben nach unten: Den größten Schritt machte das Netz mit {WITH[b1]}
({de(errors[a1])} → {de(errors[b1])} Fehler), den zweitgrößten mit {WITH[b2]} ({de(errors[a2])} →
{de(errors[b2])}). Die beiden anderen Schritte holen weniger heraus: {rest}. Dafür gibt es zwei
Gründe: Ein dichtes Netz stößt an seine Grenze (Kapitel 9: Der Engpass lag im Aufbau des Netzes), und je näher
die Genauigkeit an 100 % rückt, desto mühsamer wird jede weitere Ziffer.
""")
mine = [run for run in runlog.runs() if run.kind == runlog.LIVE and run.accuracy is not None
        and run.n_val == S.TEST_SIZE]
if mine:
    best = max(mine, key=lambda run: run.accuracy)
    st.info(f"Ihr bester eigener Lauf in dieser Sitzung: {percent(best.accuracy)} ({best.chapter}, "
            f"{de(best.errors)} Fehler). Alle Ihre Läufe stehen im »Versuchsprotokoll«.", icon=":material/insights:")

st.header("Spickzettel")
SECTIONS = [
    ("Bausteine", """
- **Neuron:** gewichtete Summe der Eingaben + Bias → Aktivierungsfunktion.
- **Dichte Schicht:** `Y = f(X · W + b)` mit der Aktivierung f; X ist ein Batch (Zeilen = Bilder),
  b wird per **Broadcasting** zu jeder Zeile addiert. Parameter: Eingaben × Neuronen + Neuronen.
- **Aktivierungen:** `relu` für alle Zwischenschichten, `softmax` in der letzten Schicht eines
  Klassifikators (ein Neuron pro Klasse), `sigmoid` nur noch in Sonderfällen.
- **softmax:** exp(Logits) ÷ Summe → Wahrscheinlichkeiten mit Summe 1; der größte Logit wird betont.
"""),
    ("Lernen", """
- **Labels** one-hot kodieren, Fehler mit der **Kreuzentropie** messen: −log(p der richtigen Klasse).
- **Gradientenabstieg:** Schritt gegen den **Gradienten**, so lang wie **Lernrate** × Gradient. Die Ableitungen
  liefert **Backpropagation** (die **Kettenregel**, rückwärts durch alle Schichten).
- **Batches** (z. B. 128 Bilder): 60.000 ÷ 128, abgerundet 468 ganze Schritte pro **Epoche** (59.904
  Ziffern; der Rest kommt in der nächsten Epoche dran).
- **Momentum** (SGD mit `momentum`, Adam) rollt über Sattelpunkte hinweg; RMSprop und Adam passen
  zusätzlich die Lernrate für jedes Gewicht an (RMSprop hat in Keras von sich aus kein Momentum).
- Drei Datensätze: aus **Trainingsdaten** lernen, auf **Validierungsdaten** Varianten vergleichen, auf
  **Testdaten** ganz am Ende einmal ehrlich messen. (Das Codelab und diese App validieren der
  Einfachheit halber direkt auf den Testziffern.)
"""),
    ("Tiefe Netze", """
- **sigmoid** in vielen Schichten lässt die Gradienten verschwinden → **relu** nehmen.
- **Adam** statt einfachem SGD; Keras initialisiert Gewichte sinnvoll zufällig (glorot_uniform).
- **NaN im Verlust?** Meist zu große Lernrate oder log(0): softmax und Kreuzentropie gemeinsam von
  Keras berechnen lassen (numerisch stabil).
- **Lernratenabfall:** z. B. `0.01 * 0.6**epoch` mit `keras.callbacks.LearningRateScheduler`
  – erst große Schritte, dann feine; die Validierungskurven hören auf zu springen.
"""),
    ("Überanpassung erkennen und bekämpfen", """
- *Symptom:* Trainingsverlust sinkt weiter, **Validierungsverlust** steigt wieder → **Überanpassung**,
  das Netz lernt auswendig. Die Genauigkeit kann dabei noch gleich bleiben: Der Verlust bestraft
  zusätzlich, wie selbstsicher die falschen Antworten sind.
- **Dropout** `Dropout(p)`: im Training zufällig einen Anteil p der Neuronen abschalten (Rest × 1/(1−p));
  bei der Vorhersage ist Dropout aus. Zwischen dichte Schichten, nie nach softmax.
- *Ursachen prüfen:* zu viele **Freiheitsgrade**, zu wenig Daten – oder eine **Architektur**, die
  Wichtiges nicht sehen kann (ein dichtes Netz kennt keine Nachbarpixel). Dann hilft eine bessere
  Architektur mehr als **Regularisierung**.
"""),
    ("Faltungsnetze", """
- **Faltungsschicht** `Conv2D(filters, kernel_size, strides, padding)`: kleine **Filter** gleiten mit
  *geteilten Gewichten* über das Bild; **Gewichtstensor** `[Kernhöhe, Kernbreite, Eingangskanäle, Filter]`.
- *Verkleinern* mit **Schrittweite** 2 oder **Max-Pooling** 2×2: 28 → 14 → 7.
- **Padding** `"same"` hält die Größe (÷ Schrittweite), `"valid"` schneidet den Rand ab.
- *Abschluss:* **Flatten** und eine dichte Schicht (viele Gewichte) oder **Global Average Pooling**
  (0 Gewichte, verliert die Position).
- Dropout wirkt vor allem bei den dichten Schichten am Ende.
"""),
    ("Batch-Normalisierung", """
- Normalisiert die Werte vor der Aktivierung über den Batch (Mittelwert 0, Standardabweichung 1) und
  wendet danach einen lernbaren Faktor α und Versatz β an; beim Vorhersagen nimmt sie **laufende Mittelwerte**
  und Varianzen aus dem Training.
- *Regeln:* zwischen Schicht und Aktivierung; die Schicht davor braucht keinen Bias
  (`use_bias=False`, β übernimmt ihn); vor relu kein α (`scale=False`, relu ist
  **skaleninvariant**); nicht auf der softmax-Schicht.
- Wirkt zugleich als Regularisierung; im Kurs: Batch-Größe 64, Lernrate 0,01 mit Lernratenabfall (Faktor 0,666 pro
  Epoche), Dropout 0,3 → rund 99,5 % (der beste von vier Startwerten; Startwert 0 live: 99,40 %).
"""),
    ("Keras in fünf Befehlen", """
```python
# training_dataset, validation_dataset, TRAIN_SIZE, BATCH_SIZE, EPOCHS, digits: wie in Kapitel 5
model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(200, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()
history = model.fit(training_dataset, steps_per_epoch=TRAIN_SIZE // BATCH_SIZE, epochs=EPOCHS,
                    validation_data=validation_dataset, validation_steps=10)  # Pflicht bei repeat(): 10 × 1.000 Ziffern
probabilities = model.predict(digits)          # Form [N, 10]; Ziffer = probabilities.argmax(axis=1)
```
"""),
]

prose = [section for section in SECTIONS if "```" not in section[1]]
for i in range(0, len(prose), 2):
    cols = st.columns(2, gap="large")
    for col, (title, body) in zip(cols, prose[i:i + 2]):
        with col:
            st.subheader(title)
            st.markdown(body)
for title, body in SECTIONS:
    if "```" in body:     # code needs the full width
        st.subheader(title)
        st.markdown(body)

def cheat_sheet_markdown() -> str:
    parts = ["# Deep Learning ohne Doktortitel – Spickzettel", ""]
    for title, body in SECTIONS:
        parts += [f"## {title}", body.strip(), ""]
    parts += ["## Der Weg in Zahlen", "", "| Modell | Neu dazu | Parameter | Testgenauigkeit | Fehler |",
              "|---|---|---:|---:|---:|"]
    parts += [f"| {r['Modell']} | {r['Neu dazu']} | {r['Parameter']} | {r['Testgenauigkeit']} | {r['Fehler']} |"
              for r in rows]
    return "\n".join(parts) + "\n"


st.download_button("Spickzettel herunterladen (Markdown)", data=cheat_sheet_markdown(),
                   file_name="deep_learning_spickzettel.md", mime="text/markdown",
                   icon=":material/download:", key="ch15_download")

quiz.questions(chapter, "after_summary")

page.end(chapter)
