"""Chapter 5: the notebook keras_01_mnist cell by cell, as a learner writes it (tutorial.export holds the
cells; tests/test_export.py runs them). A short main path – which control of the app is which line, then
each cell in one or two sentences; the data pipeline in detail is an optional deeper part, and "So macht
es diese App" says in German what the app does differently."""
import streamlit as st

from tutorial import export
from tutorial import presets
from tutorial import spec as S
from tutorial.app import demos, page, state, views
from tutorial.app import quiz
from tutorial.deutsch import de

MODEL = presets.PRESETS["keras_01_mnist"]
STEPS = MODEL.steps_per_epoch
LEFT_OVER = S.TRAIN_SIZE - STEPS * MODEL.batch_size        # digits that do not fill a last batch
CACHE_MB = S.TRAIN_SIZE * 28 * 28 * 4 / 1e6                # the training images as float32
VAL_BATCHES = S.TEST_SIZE // S.VAL_BATCH                   # validation batches per measurement

chapter = page.start(__file__)
KEY = chapter.key
st.markdown("""
In Kapitel 3 haben Sie Ihr erstes Netz mit einem Klick trainiert. Hinter diesem Klick steht ein kurzes
Python-Programm, und das lesen Sie jetzt. Selbst programmieren müssen Sie dafür nicht: Es genügt, bei
jedem Block zu wissen, *wofür* er da ist – dann erkennen Sie in den nächsten Kapiteln die eine Zeile
wieder, die eine Übung ändert.

Die Blöcke sind die Zellen des Notizbuchs `keras_01_mnist.ipynb`, des ersten der fünf Notizbücher des
Codelabs (ein Notizbuch, siehe Kapitel 2, ist ein Dokument aus Text und kleinen Programmstücken, die man
nacheinander ausführt). Hintereinander ausgeführt trainieren diese Zellen genau das Modell aus Kapitel 3; am Ende
der Seite können Sie alles als Python-Skript oder als Notizbuch herunterladen (Knopf »Als Notebook herunterladen«). Schalter mit »Vertiefung« öffnen
freiwillige Teile für alle, die es genauer wissen wollen.
""")

st.header("Was Sie in der App bedient haben – und wo es im Code steht")
st.markdown(f"""
| In der App | Im Code |
|---|---|
| Feld »Epochen« | `EPOCHS = {MODEL.epochs}` in der Zelle »Parameter« |
| Schalter »Schnellmodus« | `TRAIN_SIZE = {S.QUICK_LIMIT}` statt {de(S.TRAIN_SIZE)} und höchstens {S.QUICK_EPOCHS} Epochen |
| Die Liste der Schichten und die Zahl der Parameter | `keras.Sequential([...])` und `model.summary()` |
| Knopf »Trainieren« | `model.fit(...)` in der Zelle »Trainieren und validieren« |
| Die Kurven, die während des Trainings wachsen | ein Callback, den `model.fit` regelmäßig aufruft |
| Die Ziffern unter dem Ergebnis mit der erkannten Zahl | `model.predict` und `np.argmax` |
| Ab Kapitel 6: Zwischenschichten und ihre Aktivierung | die Zeilen mit `Dense(...)` |
| Ab Kapitel 7: der Optimierer | `optimizer=` in `model.compile` |
| Ab Kapitel 8: die Lernrate | `keras.optimizers.Adam(learning_rate=...)` |

Alles, was Sie in den Übungen einstellen, landet also in drei Zellen: »Parameter«, »Keras-Modell« und
»Trainieren und validieren«. Die Zellen für die Daten bleiben im ganzen Kurs unverändert.
""")

st.header("Zelle »Parameter«")
st.markdown("""
Die Größen des Laufs stehen als Konstanten ganz oben, damit man sie an einer Stelle ändern kann: Batch-Größe,
Epochen, wie viele Ziffern trainiert und geprüft werden, und wo die vier MNIST-Dateien liegen (in dieser
App im Ordner `assets/mnist`).
""")
st.code(export.parameters_code(MODEL), language="python")

st.header("Zelle »Importe«")
st.markdown("""
Diese Zelle holt die Werkzeuge: TensorFlow mit Keras für das Netz, NumPy für Zahlenfelder, `math` für
eine kleine Rechnung beim Training. (Im Notizbuch des Codelabs folgt noch eine Zelle mit Zeichenfunktionen für die
Kurven; sie muss einmal laufen, sonst fehlen die Funktionen später. Die App zeichnet ihre Kurven selbst.)
""")
st.code(export.IMPORTS_CODE, language="python")

st.header("Die Zellen für die Daten")
st.markdown(f"""
Die nächsten drei Blöcke sorgen dafür, dass das Training die Ziffern in der Form bekommt, die es braucht:
jedes Bild als 784 Zahlen zwischen 0 und 1, jedes Label **one-hot** kodiert (aus der 3 wird
`[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]`, eine 1 an der Stelle der richtigen Ziffer), und beides als Paare in
Batches zu {MODEL.batch_size}. Die Kommentare hinter `#` sagen, was die einzelnen Zeilen tun. Sie müssen
diese Blöcke nicht im Einzelnen verstehen – keine Übung dieses Kurses ändert sie.
""")
st.code(export.DECODE_CODE, language="python")
st.code(export.LOAD_CODE, language="python")
st.code(export.DATASETS_CODE + "\n\n\n" + export.MAKE_DATASETS_CODE, language="python")

if page.deeper(f"{KEY}_pipeline", "Wie aus den Dateien Batches werden"):
    st.markdown(f"""
**Erst einmal eine Ziffer.** In Kapitel 3 haben Sie Ziffern als kleine Bilder gesehen. In der Datei ist
jede davon nur eine Reihe von 28 · 28 = 784 Bytes, ein Grauwert pro Pixel von 0 (Hintergrund) bis 255 (volle Tinte),
Zeile für Zeile hintereinander. Die Bilddatei ist nichts anderes als 60.000 solcher Reihen ohne Trennzeichen,
vorne ein Kopf von 16 Bytes mit Angaben über die Datei. Die Labeldatei ist noch einfacher: ein Kopf von
8 Bytes, dann ein Byte pro Ziffer.

**Darum schneidet `FixedLengthRecordDataset` die Datei in gleich lange Stücke.** Es überspringt den
Kopf (`header_bytes`) und liefert dann Stück für Stück 784 Bytes (bei den Labels: 1 Byte). Die Dateien der
App sind mit gzip gepackt; `compression_type="GZIP"` packt sie beim Lesen aus.

**Aus Bytes werden Zahlen.** `read_image` liest die Bytes als Ganzzahlen (`decode_raw`), wandelt sie in
Kommazahlen um und teilt durch 256 – so liegt jeder Pixel zwischen 0 und knapp 1. Ein 28 × 28-Bild daraus
zu formen ist nicht nötig: Die dichte Schicht erwartet die 784 Werte ohnehin als eine lange Reihe.
`read_label` macht aus dem Label-Byte den One-hot-Vektor. `.map` wendet die Funktion auf jedes Stück an
(16 davon gleichzeitig), `Dataset.zip` legt Bild und Label zu Paaren zusammen.

**Was ohne die übrigen Aufrufe in `get_training_dataset` schiefginge?**

- Ohne `.repeat()` wäre der Datenstrom nach einer Epoche leer, und die zweite Epoche bekäme nichts mehr.
  Mit ihm ist er endlos – deshalb muss man `model.fit` später sagen, wie viele Schritte eine Epoche hat.
- `drop_remainder=True` hat hier nichts abzuschneiden: {de(S.TRAIN_SIZE)} Ziffern sind {STEPS} volle
  Batches zu {MODEL.batch_size} und {LEFT_OVER} übrige, aber weil `.repeat()` davor steht, endet der Strom nie –
  die {LEFT_OVER} übrigen kommen einfach mit den ersten Ziffern der nächsten Runde in einen Batch. Das Argument
  sorgt nur dafür, dass TensorFlow die Batch-Größe {MODEL.batch_size} vorab als feste Größe kennt, was etwa
  auf TPUs nötig ist.
- Ohne `.shuffle(5000, …)` sähe das Netz die Ziffern bei jedem Durchgang in derselben Reihenfolge und in
  großenteils denselben Batches. Gemischt wird in einem Vorrat von 5.000 Ziffern, aus dem jeweils eine zufällige
  gezogen und durch die nächste aus dem Datenstrom ersetzt wird – bei jedem Durchgang neu.
- Ohne `.cache()` würde jede Epoche die gepackten Dateien noch einmal lesen und auspacken. Mit ihm
  bleiben die fertigen Zahlen nach dem ersten Durchgang im Arbeitsspeicher (die Trainingsbilder als
  Kommazahlen: rund {de(CACHE_MB)} MB).
- `.prefetch` lässt das Vorbereiten des nächsten Batches schon laufen, während das Netz am aktuellen
  rechnet; am Ergebnis ändert das nichts, nur an der Zeit.

Die Validierungsdaten entstehen aus den Testziffern auf dieselbe Weise, nur ohne Mischen und ohne
Rest-Regel: Zum Messen ist die Reihenfolge gleichgültig.
""")

with st.expander("So macht es diese App", icon=":material/settings:"):
    st.markdown(f"""
Die App benutzt dieselben Schritte (im Modul `tutorial/data.py`), mit vier Unterschieden:

- **Prüfen vor dem Lesen.** Bevor sie eine MNIST-Datei öffnet, vergleicht sie deren Prüfsumme (SHA-256)
  mit der bekannten. Fehlt eine Datei oder ist sie beschädigt, sagt die Seite das auf Deutsch, statt
  mitten im Training abzubrechen.
- **Validierung in kleineren Batches.** Das Notizbuch des Codelabs prüft alle {de(S.TEST_SIZE)} Testziffern in
  einem einzigen Batch. Die App nimmt {VAL_BATCHES} Batches zu {de(S.VAL_BATCH)} – die gemessenen Zahlen sind
  dieselben, der Speicherbedarf ist viel kleiner. Der Code auf dieser Seite macht es schon wie die App.
- **Schnellmodus.** Er nimmt mit `.take` nur die ersten {de(S.QUICK_LIMIT)} Trainingsziffern.
- **Keine automatische Feinabstimmung von `tf.data`.** Auf einem Server mit einem einzigen Kern ließ sie
  das Ende jedes Trainings um bis zu 4,4 Sekunden warten. Die berechneten Zahlen ändert das nicht.
""")

st.header("Zelle »Keras-Modell«")
st.markdown("""
Hier steht das eigentliche Netz – die Zelle, an der Sie ab Kapitel 6 am meisten ändern.
`keras.Sequential([...])` bekommt eine Liste von Schichten und schickt die Daten der Reihe nach hindurch,
vom ersten Eintrag bis zum letzten – so sind alle Modelle dieses Kurses gebaut, auch die Faltungsnetze.
`keras.Input(shape=(784,))` sagt, was hineinkommt: 28 · 28 = 784 Pixelwerte. Danach folgt eine einzige
**dichte Schicht** mit 10 Neuronen, eines pro Ziffer, und der Aktivierung **softmax**, die aus den zehn
Summen zehn Wahrscheinlichkeiten macht.

`model.compile` legt fest, *wie* gelernt wird: mit welchem Verfahren (`optimizer="sgd"`, der einfache
Gradientenabstieg aus Kapitel 4), an welchem Maß der Fehler gemessen wird (`loss="categorical_crossentropy"`,
die Kreuzentropie – passend zu den One-hot-Labels) und was zusätzlich mitgeschrieben wird
(`metrics=["accuracy"]`, der Anteil richtig erkannter Ziffern).
""")
st.code(MODEL.model_code(), language="python")
with st.expander("So macht es diese App", icon=":material/settings:"):
    st.markdown("""
Die App schreibt diesen Code nicht von Hand. Sie beschreibt jede Schicht als kleinen Datensatz –
etwa »dichte Schicht, 10 Neuronen, softmax« (im Modul `tutorial/layers.py`). Aus *derselben*
Beschreibung baut sie die Keras-Schicht, die trainiert wird, und schreibt die Codezeile, die Sie hier
und unter »Code anzeigen« in jeder Übung lesen. Deshalb passt der gezeigte Code immer genau zu dem Netz,
das die App trainiert: Ändern Sie in einer Übung einen Regler, ändert sich beides zugleich.
""")
st.markdown("""
`model.summary()` listet die Schichten mit ihrer Ausgabeform und der Zahl ihrer Parameter. Für dieses
Modell (berechnet ohne TensorFlow, aus der Beschreibung des Modells):
""")
views.show_layer_table(MODEL)
st.markdown(f"""
Jedes der 10 Neuronen hat ein Gewicht für jeden der 784 Pixel und einen Bias:
784 · 10 + 10 = **{de(S.param_count(MODEL))} Parameter**.
""")

st.header("Zelle »Trainieren und validieren«")
st.markdown(f"""
Diese Zelle entspricht dem Knopf »Trainieren«. `model.fit` bekommt die Trainings- und die Validierungsdaten und
die Zahl der Epochen; nach jeder Epoche misst Keras von selbst auf den Validierungsdaten.

Zwei Angaben braucht es zusätzlich, weil der Trainingsstrom endlos ist: `steps_per_epoch` sagt, nach wie
vielen Batches eine Epoche zu Ende ist. `//` teilt ganzzahlig, also {de(S.TRAIN_SIZE)} // {MODEL.batch_size}
= {STEPS}. `validation_steps` sagt, wie viele Batches zum Messen gelesen werden.

Über **Callbacks** – Funktionen, die Keras während des Trainings aufruft – hängt man eigenen Code in die
Trainingsschleife. Das Notizbuch zeichnet so seine Kurven; die App meldet damit alle zehn Schritte den
Fortschritt an die Seite, die Sie gerade lesen. In Kapitel 8 kommt ein Callback hinzu, der die Lernrate
verändert.
""")
st.code(MODEL.fit_code(constants=False), language="python")

quiz.questions(chapter, "after_fit")

st.header("Zelle »Vorhersagen visualisieren«")
st.markdown("""
Unter jedem Ergebnis zeigt die App Ziffern mit der Zahl, die das Netz darin erkennt. So entsteht sie:
`model.predict` liefert für jedes Bild die zehn Wahrscheinlichkeiten der softmax-Schicht, und `np.argmax`
sucht die Stelle der größten – das ist die erkannte Ziffer.

Für einen Batch aus 128 Bildern ist das Ergebnis von `predict` eine Tabelle mit 128 Zeilen (eine pro
Bild) und 10 Spalten (eine pro Ziffer), die Form **`[128, 10]`**. `axis=1` heißt: Suche das Maximum
*in jeder Zeile*, also über die Spalten hinweg. Heraus kommt eine Ziffer pro Bild, die Form `[128]`.
Probieren Sie es mit dem fertigen Modell aus:
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
Das ist das ganze Programm hinter Kapitel 3: Daten vorbereiten, ein Modell aus einer Schicht, `fit`,
`predict` – und schon erkennt es rund 90 % der Ziffern. Ab dem nächsten Kapitel ändern Sie fast nur noch
die Zelle »Keras-Modell« und ein paar Parameter – und kommen so Schritt für Schritt über 99 %.
""")

quiz.questions(chapter, "after_predict")

page.end(chapter)
