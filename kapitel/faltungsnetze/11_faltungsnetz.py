"""Chapter 11: a convolutional network (reshape, conv stack, flatten, dense) built from widgets."""
import streamlit as st

from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state, views
from tutorial.app.chrome import number_box
from tutorial.app import quiz
from tutorial.deutsch import percent

DEFAULT_FILTERS = (12, 24, 32, 48)
PADDINGS, STRIDES = ["same", "valid"], [1, 2, 3]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_conv": 3, f"{KEY}_padding": "same", f"{KEY}_dense": 200,
            **{f"{KEY}_filters_{i}": f for i, f in enumerate((12, 24, 32))},
            **{f"{KEY}_kernel_{i}": k for i, k in enumerate((3, 6, 6))},
            **{f"{KEY}_stride_{i}": s for i, s in enumerate((1, 2, 2))}}

st.markdown("""
Jetzt bauen Sie aus den Bausteinen von Kapitel 10 ein **Faltungsnetz** und trainieren es. Stellen Sie
die Regler unten so ein, dass diese Tabelle herauskommt; die Tabelle unter den Reglern rechnet schon vor
dem Training nach, was Ihre Einstellung ausgibt:

| Schicht | Filter | Kerngröße | Schrittweite | Ausgabe |
|---|---|---|---|---|
| Faltung 1 | 12 | 3 × 3 | 1 | 28 × 28 × 12 |
| Faltung 2 | 24 | 6 × 6 | 2 | 14 × 14 × 24 |
| Faltung 3 | 32 | 6 × 6 | 2 | 7 × 7 × 32 |
| Flatten | | | | 1.568 |
| dicht, relu | 200 Neuronen | | | 200 |
| dicht, softmax | 10 Neuronen | | | 10 |

Lesen Sie die Spalte »Ausgabe« von oben nach unten: Die drei **Faltungsschichten** machen das Bild kleiner
und tiefer – von 28 × 28 über 14 × 14 auf 7 × 7 Positionen, weil die zweite und dritte mit der
**Schrittweite** 2 rechnen, und von einem **Kanal** über 12 und 24 auf 32. Dann wird der Datenwürfel flach
gelegt, und es geht weiter wie in den dichten Netzen: eine **dichte Schicht** mit 200 Neuronen, zuletzt die
**softmax-Schicht** mit zehn.
""")

st.subheader("Übung: das Faltungsnetz einstellen und trainieren")
st.markdown("""
Optimierer und Lernrate bleiben wie in Kapitel 9 (Adam, 0,01, Lernratenabfall mit dem Faktor 0,6 pro
Epoche); **Dropout** lassen Sie diesmal weg – ob es hier hilft, prüft erst Kapitel 12. Setzen Sie den
»Zoom der Kurven« auf 16×. Alle Regler stehen anfangs auf Kerngröße 3 und Schrittweite 1. Achten Sie schon
vor dem Training in der Tabelle darauf, was mit der Flatten-Schicht und den Parametern der dichten Schicht
geschieht, sobald die zweite und die dritte Faltung die Schrittweite 2 bekommen.
""")
top = st.columns(3)
count = top[0].slider("Anzahl der Faltungsschichten", min_value=1, max_value=4,
                      key=state.keep(f"{KEY}_conv", 3, range(1, 4 + 1)))
padding = top[1].radio("Padding", PADDINGS, horizontal=True, key=state.keep(f"{KEY}_padding", "same", PADDINGS))
dense_units = number_box.whole_number("Neuronen der dichten Schicht", 10, 1000, step=10, container=top[2],
                                  key=state.keep(f"{KEY}_dense", 200))
convs = []
columns = st.columns(4)
for i in range(count):
    with columns[i]:
        st.markdown(f"**Faltung {i + 1}**")
        filters = number_box.whole_number("Filter", 1, 128, key=state.keep(f"{KEY}_filters_{i}", DEFAULT_FILTERS[i]))
        kernel = number_box.whole_number("Kerngröße", 1, 9, key=state.keep(f"{KEY}_kernel_{i}", 3))
        stride = st.radio("Schrittweite", STRIDES, horizontal=True, key=state.keep(f"{KEY}_stride_{i}", 1, STRIDES))
    convs.append(L.Conv2D(int(filters), int(kernel), int(stride), padding, "relu")
                 if filters is not None and kernel is not None else None)
numbers_ok = None not in convs and dense_units is not None   # a box out of range has said so in German
spec = (S.RunSpec(layers=(L.Reshape(), *convs, L.Flatten(), L.Dense(int(dense_units), "relu"), L.Dense(10, "softmax")),
                  optimizer="adam", learning_rate=0.01, lr_decay=0.6) if numbers_ok else None)

st.markdown("##### Ausgabeformen und Parameter Ihres Modells")
valid = spec is not None and views.show_layer_table(spec)
exercise.panel(chapter, spec if valid else None, apply_solution=SOLUTION, zoom=16)

st.header("Was Ihr Lauf zeigt")
if quiz.after_run(chapter):
    st.markdown("""
**Zuerst der Verlust, links.** Die Zahlen stammen aus dem fertigen Lauf dieser App; ein eigener Lauf über
zehn Epochen mit allen Trainingsziffern kommt nahe daran. Der Validierungsverlust ist nach der vierten
Epoche am kleinsten (0,036) und steigt danach Epoche für Epoche wieder, bis auf 0,047. Der Trainingsverlust
fällt derweil auf 0,0001 – ab der achten Epoche liest das Netz jede einzelne Trainingsziffer richtig. Das Muster kennen Sie aus Kapitel 9: **Überanpassung**,
diesmal deutlicher. Ein Faltungsnetz mit 354.002 Parametern hat reichlich Freiheitsgrade, um sich 60.000
Bilder einzuprägen.

**Dann die Vorhersagen.** Unter den Kurven stehen 168 Testziffern, die Fehler zuerst – und zum ersten Mal
reichen die Fehler nicht mehr, um das Raster zu füllen. Der fertige Lauf liest 99,12 % der 10.000
Testziffern richtig; falsch bleiben 88, das Raster ist also nur noch gut zur Hälfte rot. Die 99 % sind geknackt,
wenn auch knapp. Ob Dropout jetzt gegen die Überanpassung hilft, prüft das nächste Kapitel.
""")
    result = loader.preset_result("ex_11_conv_no_dropout")
    if result:
        st.caption(f"Im fertigen Lauf dieser App: {result['errors']} Fehler, Genauigkeit {percent(result['accuracy'])}.")
    quiz.questions(chapter, "after_result")

st.header("Was Ihre Einstellungen in Keras bedeuten")
st.markdown("""
Der Code, den die Übung zu Ihrem Modell zeigt, hat drei neue Bausteine.

**Vorn wieder ein Bild.** Die Datenpipeline aus Kapitel 5 liefert jedes Bild als Reihe aus 784 Zahlen,
passend für dichte Schichten. Eine Faltung braucht aber Zeilen, Spalten und Kanäle, sonst weiß sie nicht,
welche Pixel Nachbarn sind. Die Daten bleiben deshalb, wie sie sind, und eine `Reshape`-Schicht direkt nach
`keras.Input` legt die 784 Zahlen wieder zu 28 Zeilen mit je 28 Pixeln und einem Kanal (Graustufen)
zusammen. (Das Codelab setzt `Reshape` an die Stelle der Eingabeschicht; in Keras 3 bleibt `keras.Input`
stehen.)
""")
st.code("""keras.Input(shape=(28 * 28,)),
keras.layers.Reshape(target_shape=(28, 28, 1)),""", language="python")
st.markdown("""
**Je eine Zeile pro Faltung.** Darin stehen die Werte Ihrer Regler, hier die der ersten und der zweiten
Faltung aus der Tabelle oben:
""")
st.code("""keras.layers.Conv2D(filters=12, kernel_size=3, padding="same", activation="relu"),
keras.layers.Conv2D(filters=24, kernel_size=6, padding="same", activation="relu", strides=2),""",
        language="python")
st.markdown("""
Der Regler »Padding« wird zum Argument `padding`; er regelt, was am Bildrand geschieht, wenn der Filter über
das Bild hinausragt (Kapitel 10 zeigt es im Experiment). Mit **Padding** `"same"` wird der Rand mit Nullen
aufgefüllt, und bei Schrittweite 1 bleibt das Bild so groß, wie es war. Mit `"valid"` zählen nur echte
Pixel, und das Bild schrumpft. Dieses Netz verwendet `"same"`.
""")
if page.deeper("ch11_padding_sizes", "Wie groß die Ausgabe bei Schrittweite 2 oder 3 wird"):
    st.markdown("""
- `"same"`: Bei Schrittweite *s* wird das Bild auf ⌈Breite / *s*⌉ verkleinert, aufgerundet: aus 28 wird
  bei Schrittweite 2 also 14, aus 7 wird 4.
- `"valid"`: Bei Schrittweite *s* bleiben ⌊(Breite − Kerngröße) / *s*⌋ + 1 Pixel. Bei Schrittweite 1
  heißt das: Jede Faltung nimmt dem Bild Kerngröße − 1 Pixel, die Kerngröße 6 × 6 macht aus 28 Pixeln
  Breite 23. Bei Schrittweite 2 macht derselbe 6 × 6-Filter aus 28 Pixeln 12.

Probieren Sie es in der Übung: Stellen Sie »Padding« auf »valid« und vergleichen Sie die Ausgabeformen und
die Parameter der dichten Schicht in der Tabelle.
""")
st.markdown("""
**Hinten wieder flach.** Die dichte Schicht erwartet einen flachen Vektor. `Flatten` legt den
7 × 7 × 32-Datenwürfel zu 1.568 Werten aus; danach folgen die dichten Schichten, geschrieben wie bisher:
""")
st.code("""keras.layers.Flatten(),
keras.layers.Dense(200, activation="relu"),
keras.layers.Dense(10, activation="softmax"),""", language="python")

quiz.questions(chapter, "after_code")

page.end(chapter)
