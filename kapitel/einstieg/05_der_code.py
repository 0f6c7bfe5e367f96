"""Chapter 5: the notebook keras_01_mnist cell by cell, as a learner writes it (tutorial.export holds the
cells; tests/test_export.py runs them), with the app's own code behind "So macht es diese App"."""
import inspect

import streamlit as st

from tutorial import data, export, layers
from tutorial import presets
from tutorial.app import demos, page, state, views
from tutorial.app import quiz

MODEL = presets.PRESETS["keras_01_mnist"]

chapter = page.start(__file__)
KEY = chapter.key
st.markdown("""
Jetzt lesen wir den Code, der in Kapitel 3 das erste Netz trainiert hat – Zelle für Zelle, so wie sie
im Notizbuch `keras_01_mnist.ipynb` aufeinander folgen. (Ein Notizbuch ist, wie in Kapitel 2
beschrieben, ein Dokument aus Erklärtext und kleinen Programmstücken, den Zellen, die man nacheinander
ausführt; `keras_01_mnist` ist das erste der fünf Notizbücher des Codelabs.) Ziel ist, den Code zu verstehen, damit Sie ihn in
den nächsten Kapiteln gezielt verbessern können. Die Codeblöcke unten sind Code, wie Sie ihn selbst
schreiben würden; hintereinander ausgeführt trainieren sie genau das Modell aus Kapitel 3 – am Ende der
Seite können Sie sie als ein vollständiges Python-Skript oder als Notebook für Jupyter und Colab
herunterladen. Wie die App dieselben Schritte
intern erledigt, zeigen die aufklappbaren Abschnitte »So macht es diese App«.
""")

st.header("Zelle »Parameter«")
st.markdown("""
Ganz oben legt das Notizbuch fest, wie groß ein Batch ist, wie viele Epochen trainiert werden und wo die
Datendateien liegen. In dieser App liegen die vier MNIST-Dateien im Ordner `assets/mnist`.
""")
st.code(export.parameters_code(MODEL), language="python")

st.header("Zellen »Importe« und »Visualisierung«")
st.markdown("""
Die Importzelle lädt TensorFlow mit Keras, NumPy und im Notizbuch matplotlib für die Bilder. Die
Visualisierungszelle enthält nur Hilfsfunktionen zum Zeichnen, darunter `PlotTraining`, das die Kurven
während des Trainings aktualisiert. Im Notizbuch muss diese Zelle trotzdem ausgeführt werden, sonst
fehlen später die Funktionen. In dieser App übernehmen Altair-Diagramme diese Aufgabe.
""")
st.code(export.IMPORTS_CODE, language="python")

st.header("Zelle »tf.data.Dataset«: Dateien lesen, Datensätze vorbereiten")
st.markdown("""
MNIST liegt in vier Dateien: Bilder und Labels, jeweils für die 60.000 Trainings- und die 10.000
Testziffern (die, wie in Kapitel 3 erklärt, hier zugleich zur Validierung dienen). Jede Datei
beginnt mit einem kurzen Kopf (16 Bytes bei den Bildern, 8 bei den Labels), danach folgen
Datensätze *fester Länge*: 28 · 28 = 784 Bytes pro Bild, 1 Byte pro Label. Genau dafür gibt es
`tf.data.FixedLengthRecordDataset`; weil unsere Dateien mit gzip gepackt sind, bekommt es zusätzlich
`compression_type="GZIP"`.

Jeder Datensatz ist zunächst nur eine Bytefolge. `tf.io.decode_raw` macht daraus einen Tensor aus
Ganzzahlen – zu entpacken gibt es nichts, die Pixel stehen roh hintereinander. Danach werden die Werte
in Gleitkommazahlen umgewandelt und durch 256 geteilt, sodass sie zwischen 0 und 1 liegen. Das Bild
bleibt ein *flacher Vektor mit 784 Werten*, denn die erste dichte Schicht erwartet genau das. Das
Label wird **one-hot** kodiert: aus 3 wird `[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]`.
""")
st.code(export.DECODE_CODE, language="python")
st.markdown("""
`.map` wendet eine solche Funktion auf jedes Element des Datensatzes an (hier 16 Elemente parallel).
`Dataset.zip` legt dann Bilder und Labels zu Paaren *(Bild, Label)* zusammen – genau das
Format, das `model.fit` erwartet:
""")
st.code(export.LOAD_CODE, language="python")
st.markdown("""
Für das Training folgen fünf weitere Schritte:

| Aufruf | Wirkung |
|---|---|
| `.cache()` | hält den Datensatz nach dem ersten Lesen im Arbeitsspeicher; MNIST ist klein genug (≈ 190 MB als float32). |
| `.shuffle(5000, reshuffle_each_iteration=True)` | mischt über einen Puffer von 5.000 Elementen, bei jedem Durchgang durch die Daten neu. Gut gemischte Trainingsdaten sind wichtig. |
| `.repeat()` | wiederholt den Datensatz endlos, damit mehrere Epochen möglich sind. |
| `.batch(BATCH_SIZE, drop_remainder=True)` | fasst 128 Paare zu einem Batch zusammen: Bilder `[128, 784]`, Labels `[128, 10]`. |
| `.prefetch(AUTOTUNE)` | bereitet den nächsten Batch schon vor, während der aktuelle trainiert wird. |

Der Validierungsdatensatz entsteht genauso aus den Testziffern, nur ohne Mischen. Das Notizbuch prüft
alle 10.000 in *einem* Batch; diese App nimmt Batches zu 1.000 – die Zahlen sind dieselben,
der Speicherbedarf ist viel kleiner.
""")
st.code(export.DATASETS_CODE + "\n\n\n" + export.MAKE_DATASETS_CODE, language="python")
with st.expander("So macht es diese App", icon=":material/settings:"):
    st.caption("Der Code der App selbst (Modul `tutorial/data.py`): dieselbe Pipeline, dazu eine Prüfung, "
               "dass die MNIST-Dateien vollständig und unverändert sind.")
    st.code("\n\n".join(inspect.getsource(f) for f in (data.verified_path, data.read_label, data.read_image,
                                                        data.load_dataset, data.training_dataset,
                                                        data.validation_dataset)), language="python")

st.header("Zelle »Keras-Modell«")
st.markdown("""
Alle Modelle dieses Codelabs sind einfache Ketten von Schichten, eine nach der anderen. Dafür genügt
`keras.Sequential` mit einer Liste von Schichten. `keras.Input(shape=(28 * 28,))` teilt dem Modell mit,
welche Form jede Eingabe hat: einen flachen Vektor aus 784 Pixelwerten. Darauf folgt eine einzige
**dichte Schicht** mit **10 Neuronen** – eines je Klasse – und der Aktivierung **softmax**, die zehn
Wahrscheinlichkeiten liefert; das ist die übliche letzte Schicht eines Klassifikators.

`model.compile` legt fest, wie trainiert wird:

- `optimizer="sgd"`: der einfache stochastische Gradientenabstieg,
- `loss="categorical_crossentropy"`: die Kreuzentropie, der passende Verlust für Klassifikation mit
  one-hot-kodierten Labels,
- `metrics=["accuracy"]`: zusätzlich den Anteil richtig erkannter Bilder mitprotokollieren.
""")
st.code(MODEL.model_code(), language="python")
with st.expander("So macht es diese App", icon=":material/settings:"):
    st.caption("Die App beschreibt jede Schicht als kleines Objekt (Modul `tutorial/layers.py`). Dieselben "
               "Argumente erzeugen die Keras-Schicht und den Code, den Sie hier lesen – beide stimmen darum "
               "immer überein.")
    st.code(inspect.getsource(layers.Layer.code) + "\n" + inspect.getsource(layers.Layer.build),
            language="python")
st.markdown("""
`model.summary()` listet die Schichten mit ihrer Ausgabeform und der Zahl ihrer Parameter. Für dieses
Modell (berechnet ohne TensorFlow, aus der Beschreibung des Modells):
""")
views.show_layer_table(MODEL)
st.markdown("""
784 Eingänge mal 10 Neuronen ergibt 7.840 Gewichte, dazu kommen 10 Biases: **7.850 Parameter**.
""")

st.header("Zelle »Trainieren und validieren«")
st.markdown("""
`model.fit` startet das Training. Es bekommt den Trainings- und den Validierungsdatensatz. Weil der
Trainingsdatensatz wegen `.repeat()` endlos ist, weiß Keras nicht von selbst, wann eine Epoche vorbei
ist: `steps_per_epoch = 60000 // 128 = 468` sagt es ihm (`//` teilt und rundet ab; 468 Schritte zu 128
sind 59.904 Ziffern, die restlichen 96 kommen im endlosen Strom in der nächsten Epoche dran). `validation_steps` legt fest, wie viele
Batches zur Validierung gelesen werden – im Notizbuch einer mit 10.000 Ziffern, in dieser App zehn mit je
1.000. Am Ende jeder Epoche validiert Keras automatisch.

Über **Callbacks** kann man eigenen Code in die Trainingsschleife einhängen. Das Notizbuch zeichnet so
mit `PlotTraining` seine Kurven; diese App meldet über einen Callback alle zehn Schritte den Fortschritt
an die Seite, die Sie gerade lesen.
""")
st.code(MODEL.fit_code(constants=False), language="python")

quiz.questions(chapter, "after_fit")

st.header("Zelle »Vorhersagen visualisieren«")
st.markdown("""
Ein trainiertes Modell liefert mit `model.predict` Vorhersagen. Für jedes Bild gibt die softmax-Schicht
*zehn Wahrscheinlichkeiten* zurück. Die erkannte Ziffer ist die mit der größten Wahrscheinlichkeit –
deren Position findet `np.argmax`.

Warum `axis=1`? Das Modell verarbeitet Bilder stapelweise. Für einen Batch aus 128 Bildern kommt ein
Tensor der Form **`[128, 10]`** heraus: eine Zeile pro Bild, eine Spalte pro Ziffer. Achse 0 läuft über
die Bilder, Achse 1 über die zehn Klassen. Gesucht ist das Maximum *innerhalb jeder Zeile*, also entlang
Achse 1. Das Ergebnis hat die Form `[128]` – eine Ziffer pro Bild.
""")
st.code(export.PREDICT_CODE, language="python")

if st.toggle("Mit dem fertigen Modell aus Kapitel 3 ausprobieren (lädt TensorFlow)",
             key=state.keep(f"{KEY}_demo", False)):
    demos.argmax_demo("keras_01_mnist", 128)

st.download_button("Als Python-Skript herunterladen", data=export.script(MODEL, "keras_01_mnist.py"),
                   file_name="keras_01_mnist.py", mime="text/x-python", icon=":material/download:",
                   key=f"{KEY}_script",
                   help="Alle Codeblöcke dieser Seite als ein Programm, dazu die Auswertung auf den Testziffern. "
                        "Starten mit: python keras_01_mnist.py (braucht TensorFlow).")
views.show_notebook(MODEL, KEY)   # the same cells as a notebook, and the way into Colab

st.markdown("""
Mit diesem einfachen Modell werden schon rund 90 % der Ziffern richtig erkannt. Ab dem nächsten Kapitel
bauen Sie es Schritt für Schritt um – bis über 99 %.
""")

quiz.questions(chapter, "after_predict")

page.end(chapter)
